using CodexSandbox.Engine.Backends.Linux;
using CodexSandbox.Engine.Tests.Configuration;

namespace CodexSandbox.Engine.Tests.Backends.Linux;

/// <summary>Get-SandboxCapability on Linux reports Landlock and seccomp as the launcher's --probe sees them (a stand-in
/// launcher prints the probe record here).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class CapabilityProbeTests
{
    private static readonly BwrapProbe.Result NoBwrap = new(null, null, false, "not installed");

    private static string FakeLauncher(TempTree t, string body)
    {
        // A new path per test: the probe is cached per launcher path.
        var path = t.Write($"bin-{Guid.NewGuid():n}/codex-linux-sandbox", "#!/bin/sh\n[ \"$1\" = --probe ] || exit 64\n" + body);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Fact]
    public void LandlockAndSeccompAreReportedAsTheLauncherSeesThem()
    {
        using var t = new TempTree();
        var launcher = FakeLauncher(t, "printf 'format=1\\nlandlock_abi=3\\nseccomp=1\\nseccomp_mode=2\\nenforceable=1\\n'\n");
        var c = CapabilityProbe.Describe(new LinuxHost(7, true, NoBwrap, launcher), NamespaceRequirement.Auto, t.Project);
        Assert.Equal(3, c.LandlockAbi);
        Assert.Equal(["filesystem", "refer", "truncate"], c.LandlockFeatures);
        Assert.True(c.Seccomp);
        Assert.Contains(c.Notes, n => n.Contains("The launcher sees Landlock ABI 3", StringComparison.Ordinal));
        Assert.Contains(c.Notes, n => n.Contains("already runs under a seccomp filter", StringComparison.Ordinal));
        // Each mode is planned for what the launcher can apply: ABI 3 has no scoping.
        Assert.Contains(c.Missing[SandboxMode.ReadOnly], m => m.StartsWith("landlock-scope: needs Landlock ABI 6 (this kernel has 3)", StringComparison.Ordinal));
    }

    [Fact]
    public void AProbeThatGivesNoRecordFallsBackToThisProcessesViewAndSaysSo()
    {
        using var t = new TempTree();
        var launcher = FakeLauncher(t, "echo broken >&2; exit 125\n");
        var c = CapabilityProbe.Describe(new LinuxHost(7, true, NoBwrap, launcher), NamespaceRequirement.Auto, t.Project);
        Assert.Equal(7, c.LandlockAbi);
        Assert.Contains(c.Notes, n => n.Contains("probe failed", StringComparison.Ordinal) && n.Contains("broken", StringComparison.Ordinal));
    }
}
