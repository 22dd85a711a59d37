using System.Management.Automation;

namespace CodexSandbox.Commands;

/// <summary>Shows the effective sandbox policy for a working directory and where each value came from.</summary>
[Cmdlet(VerbsCommon.Get, "SandboxPolicy")]
[OutputType(typeof(SandboxPolicy))]
public sealed class GetSandboxPolicyCommand : SandboxCmdletBase
{
    protected override void EndProcessing() => WriteObject(ResolvePolicy());
}
