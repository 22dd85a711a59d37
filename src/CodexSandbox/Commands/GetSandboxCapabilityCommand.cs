using System.Management.Automation;
using CodexSandbox.Engine.Backends;
using CodexSandbox.Engine.Backends.Linux;
using CodexSandbox.Engine.Execution;
using CodexSandbox.Internal;

namespace CodexSandbox.Commands;

/// <summary>Reports what this machine can enforce (Linux: Landlock, seccomp, bubblewrap, user namespaces; macOS: Seatbelt; Windows: the restricted token) and the protections of each mode.</summary>
[Cmdlet(VerbsCommon.Get, "SandboxCapability")]
[OutputType(typeof(SandboxCapability))]
public sealed class GetSandboxCapabilityCommand : PSCmdlet
{
    /// <summary>Describe the protections as if [sandbox_linux] namespaces had this value.</summary>
    [Parameter]
    public NamespaceRequirement Namespaces { get; set; } = NamespaceRequirement.Auto;

    protected override void EndProcessing()
    {
        var moduleBase = Path.GetDirectoryName(typeof(GetSandboxCapabilityCommand).Assembly.Location)!;
        if (!OperatingSystem.IsLinux())
        {
            SandboxHost host;
            try { host = SandboxHost.Detect(moduleBase); }
            catch (SandboxUnavailableException e)
            {
                ThrowTerminatingError(Errors.Record(e, Errors.SandboxUnavailable, System.Runtime.InteropServices.RuntimeInformation.OSDescription, e.Remedy));
                return;
            }
            WriteObject(PlatformCapability.Describe(host, SessionState.Path.CurrentFileSystemLocation.ProviderPath));
            return;
        }
        WriteObject(CapabilityProbe.Describe(LinuxHost.Detect(LinuxHost.FindLauncher(moduleBase)), Namespaces, SessionState.Path.CurrentFileSystemLocation.ProviderPath));
    }
}
