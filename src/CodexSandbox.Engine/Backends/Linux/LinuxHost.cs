namespace CodexSandbox.Engine.Backends.Linux;

/// <summary>What this machine offers the Linux backend: probed once per session.</summary>
public sealed record LinuxHost(int LandlockAbi, bool Seccomp, BwrapProbe.Result Bwrap, string? LauncherPath)
{
    private static readonly Lazy<(int, bool)> s_kernel = new(() =>
        OperatingSystem.IsLinux() ? (LinuxNative.LandlockAbi(), LinuxNative.SeccompAvailable()) : (0, false));

    /// <summary>
    /// The caller runs as root: the kernel does not apply RLIMIT_NPROC to it, so <c>max_processes</c> needs a pids cgroup,
    /// and an escalated run gets a private <c>/dev</c> (root owns the raw disks).
    /// </summary>
    public bool CallerIsRoot { get; init; }

    public static LinuxHost Detect(string? launcherPath) =>
        new(s_kernel.Value.Item1, s_kernel.Value.Item2, BwrapProbe.Current, launcherPath) { CallerIsRoot = LinuxNative.IsRoot };

    /// <summary>The staged launcher for this architecture, or the one named by CODEXSANDBOX_LAUNCHER (tests, custom builds).</summary>
    public static string? FindLauncher(string moduleBase)
    {
        if (System.Environment.GetEnvironmentVariable("CODEXSANDBOX_LAUNCHER") is { Length: > 0 } explicitPath) return File.Exists(explicitPath) ? explicitPath : null;
        var rid = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        var path = Path.Combine(moduleBase, "bin", rid, "codex-linux-sandbox");
        return File.Exists(path) ? path : null;
    }
}
