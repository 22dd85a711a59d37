namespace CodexSandbox.Engine.Backends.Linux;

/// <summary>Describes what this Linux machine can enforce, per mode, using the same builder a real run uses.</summary>
public static class CapabilityProbe
{
    private static readonly string[] AbiFeatures = ["filesystem", "refer", "truncate", "tcp", "ioctl-dev", "scope", "audit"];

    /// <param name="workingDirectory">The folder the sample policy runs in (the session's location): what can be enforced
    /// depends on it, e.g. a root that holds the module cannot run without the namespace layer.</param>
    public static SandboxCapability Describe(LinuxHost host, NamespaceRequirement namespaces, string workingDirectory)
    {
        // Landlock and seccomp as the launcher itself sees them (its --probe record): it is the launcher that applies them.
        var notes = new List<string>();
        if (host.LauncherPath is { } launcherPath)
        {
            var probe = LauncherProbe.For(launcherPath);
            if (probe.Problem is null)
            {
                if (probe.LandlockAbi != host.LandlockAbi || probe.Seccomp != host.Seccomp)
                    notes.Add($"The launcher sees Landlock ABI {probe.LandlockAbi} and seccomp {(probe.Seccomp ? "available" : "unavailable")}; this process saw ABI {host.LandlockAbi} and seccomp {(host.Seccomp ? "available" : "unavailable")}. The launcher's view is reported, as the launcher applies them.");
                if (probe.UnderSeccompFilter) notes.Add("The launcher already runs under a seccomp filter (a container's); its own filter is added on top.");
                host = host with { LandlockAbi = probe.LandlockAbi, Seccomp = probe.Seccomp };
            }
            else notes.Add($"The launcher's probe failed ({probe.Problem}); Landlock and seccomp are reported as this process sees them.");
        }
        var backends = new Dictionary<SandboxMode, string>();
        var protections = new Dictionary<SandboxMode, IReadOnlyList<string>>();
        var missing = new Dictionary<SandboxMode, IReadOnlyList<string>>();
        var cwd = workingDirectory;
        foreach (var mode in Enum.GetValues<SandboxMode>())
        {
            var sample = PlatformCapability.Sample(mode, cwd) with { LinuxNamespaces = namespaces };
            try
            {
                var launch = LinuxCommandBuilder.Build(sample, ["/bin/true"], host);
                backends[mode] = launch.Backend;
                protections[mode] = launch.Enforced;
                missing[mode] = launch.NotEnforced;
            }
            catch (SandboxUnavailableException e)
            {
                backends[mode] = SandboxCapability.Unavailable;
                protections[mode] = [];
                missing[mode] = [$"cannot run: {e.Message} {e.Remedy}"];
            }
        }
        return new SandboxCapability
        {
            Platform = "Linux",
            KernelVersion = ReadFirstLine("/proc/sys/kernel/osrelease") ?? System.Environment.OSVersion.VersionString,
            Architecture = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString(),
            LandlockAbi = host.LandlockAbi,
            LandlockFeatures = AbiFeatures.Take(Math.Min(host.LandlockAbi, AbiFeatures.Length)).ToList(),
            Seccomp = host.Seccomp,
            BwrapPath = host.Bwrap.Path,
            BwrapVersion = host.Bwrap.Version,
            BwrapWorks = host.Bwrap.Works,
            BwrapProblem = host.Bwrap.Problem,
            UserNamespaces = UserNamespacesAllowed(),
            Container = DetectContainer(),
            LauncherPath = host.LauncherPath,
            Backend = backends,
            Protections = protections,
            Missing = missing,
            Notes = notes,
        };
    }

    private static bool UserNamespacesAllowed()
    {
        if (ReadFirstLine("/proc/sys/kernel/unprivileged_userns_clone") == "0") return false;
        if (ReadFirstLine("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == "1") return false;
        return !int.TryParse(ReadFirstLine("/proc/sys/user/max_user_namespaces"), out var max) || max > 0;
    }

    private static string? DetectContainer()
    {
        if (File.Exists("/.dockerenv")) return "docker";
        if (File.Exists("/run/.containerenv")) return "podman";
        var version = ReadFirstLine("/proc/version") ?? "";
        if (version.Contains("microsoft", StringComparison.OrdinalIgnoreCase)) return version.Contains("WSL2", StringComparison.OrdinalIgnoreCase) ? "wsl2" : "wsl";
        var cgroup = SafeRead("/proc/1/cgroup");
        if (cgroup.Contains("kubepods", StringComparison.Ordinal)) return "kubernetes";
        if (cgroup.Contains("docker", StringComparison.Ordinal)) return "docker";
        if (cgroup.Contains("lxc", StringComparison.Ordinal)) return "lxc";
        return null;
    }

    private static string SafeRead(string path)
    {
        try { return File.Exists(path) ? File.ReadAllText(path) : ""; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; }
    }

    private static string? ReadFirstLine(string path)
    {
        var text = SafeRead(path);
        return text.Length == 0 ? null : text.Split('\n')[0].Trim();
    }
}
