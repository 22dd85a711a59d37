using System.Management.Automation;
using CodexSandbox.Engine.Backends;
using CodexSandbox.Engine.Backends.Linux;
using CodexSandbox.Engine.Backends.MacOS;
using CodexSandbox.Engine.Backends.Windows;
using CodexSandbox.Internal;

namespace CodexSandbox.Commands;

/// <summary>Shows the effective sandbox policy for a working directory and where each value came from.</summary>
[Cmdlet(VerbsCommon.Get, "SandboxPolicy")]
[OutputType(typeof(SandboxPolicy))]
public sealed class GetSandboxPolicyCommand : SandboxCmdletBase
{
    /// <summary>Add the launch plan for this platform (reviewable from any OS).</summary>
    [Parameter]
    public TargetPlatform TargetPlatform { get; set; }

    protected override void EndProcessing()
    {
        var policy = ResolvePolicy();
        if (MyInvocation.BoundParameters.ContainsKey(nameof(TargetPlatform)))
        {
            var platform = TargetPlatform;
            ILaunchPlanner planner = platform switch
            {
                CodexSandbox.TargetPlatform.MacOS => new SeatbeltPlanner(),
                CodexSandbox.TargetPlatform.Windows => new WindowsPlanner(),
                _ => new LinuxPlanner(OperatingSystem.IsLinux() ? LinuxHost.Detect(LinuxHost.FindLauncher(ModuleBase)) : LinuxPlanner.AssumedHost(ModuleBase)),
            };
            try
            {
                // The plan shows the wrapper around a stand-in command; a real run puts its argv there.
                policy = policy with { LaunchPlan = planner.Plan(policy, ["<command>"]) };
            }
            catch (SandboxUnavailableException e)
            {
                ThrowTerminatingError(Errors.Record(e, Errors.SandboxUnavailable, platform, e.Remedy));
            }
        }
        WriteObject(policy);
    }

    private static string ModuleBase => Path.GetDirectoryName(typeof(GetSandboxPolicyCommand).Assembly.Location)!;
}
