using System.Management.Automation;
using CodexSandbox.Engine.Backends.Linux;

namespace CodexSandbox.Commands;

/// <summary>Reports what this machine can enforce: Landlock ABI, seccomp, bubblewrap, user namespaces, and the protections of each mode.</summary>
[Cmdlet(VerbsCommon.Get, "SandboxCapability")]
[OutputType(typeof(SandboxCapability))]
public sealed class GetSandboxCapabilityCommand : PSCmdlet
{
    /// <summary>Describe the protections as if [sandbox_linux] namespaces had this value.</summary>
    [Parameter]
    public NamespaceRequirement Namespaces { get; set; } = NamespaceRequirement.Auto;

    protected override void EndProcessing()
    {
        if (!OperatingSystem.IsLinux())
        {
            WriteObject(new SandboxCapability
            {
                Platform = OperatingSystem.IsMacOS() ? "MacOS" : OperatingSystem.IsWindows() ? "Windows" : System.Runtime.InteropServices.RuntimeInformation.OSDescription,
                KernelVersion = System.Environment.OSVersion.VersionString,
                Architecture = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString(),
                Missing = Enum.GetValues<SandboxMode>().Where(m => m != SandboxMode.DangerFullAccess)
                    .ToDictionary(m => m, m => (IReadOnlyList<string>)["cannot run: running sandboxed commands is implemented for Linux only; Get-SandboxPolicy -TargetPlatform shows the plan"]),
            });
            return;
        }
        var moduleBase = Path.GetDirectoryName(typeof(GetSandboxCapabilityCommand).Assembly.Location)!;
        WriteObject(CapabilityProbe.Describe(LinuxHost.Detect(LinuxHost.FindLauncher(moduleBase)), Namespaces));
    }
}
