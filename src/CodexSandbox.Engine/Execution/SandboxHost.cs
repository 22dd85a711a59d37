using CodexSandbox.Engine.Backends.Linux;
using CodexSandbox.Engine.Backends.MacOS;

namespace CodexSandbox.Engine.Execution;

/// <summary>The machine a command runs on: its platform and what that platform's backend needs.</summary>
public sealed record SandboxHost
{
    public required TargetPlatform Platform { get; init; }

    /// <summary>What Linux offers (Landlock, seccomp, bubblewrap, the launcher); null on other platforms.</summary>
    public LinuxHost? Linux { get; init; }

    /// <summary>
    /// The sandbox-exec started on macOS. Always <see cref="SeatbeltPlanner.SandboxExec"/> for real runs; only code
    /// (the engine's tests, with a recording stand-in) can change it, never configuration or the environment.
    /// </summary>
    public string SandboxExecPath { get; init; } = SeatbeltPlanner.SandboxExec;

    /// <summary>The platform this process runs on, probed once per session on Linux.</summary>
    public static SandboxHost Detect(string moduleBase) =>
        OperatingSystem.IsLinux() ? ForLinux(LinuxHost.Detect(LinuxHost.FindLauncher(moduleBase)))
        : OperatingSystem.IsMacOS() ? new SandboxHost { Platform = TargetPlatform.MacOS }
        : OperatingSystem.IsWindows() ? new SandboxHost { Platform = TargetPlatform.Windows }
        : throw new Backends.SandboxUnavailableException(
            $"No sandbox backend exists for {System.Runtime.InteropServices.RuntimeInformation.OSDescription}.",
            "CodexSandbox runs commands on Linux, macOS and Windows; Get-SandboxPolicy -TargetPlatform still shows their plans.");

    public static SandboxHost ForLinux(LinuxHost linux) => new() { Platform = TargetPlatform.Linux, Linux = linux };
}
