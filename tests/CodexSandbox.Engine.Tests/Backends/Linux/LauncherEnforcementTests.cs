using CodexSandbox.Engine.Backends.Linux;
using CodexSandbox.Engine.Tests.Configuration;

namespace CodexSandbox.Engine.Tests.Backends.Linux;

/// <summary>A run's protections come from the launcher's status record for the launcher's layer, and from the plan for
/// bubblewrap's.</summary>
public class LauncherEnforcementTests
{
    private const string Launcher = "/opt/codexsandbox/bin/linux-x64/codex-linux-sandbox";
    private static readonly LinuxHost Bwrap = new(7, true, new BwrapProbe.Result("/usr/bin/bwrap", "0.8.0", true, null), Launcher);
    private static readonly LinuxHost LauncherOnly = new(7, true, new BwrapProbe.Result(null, null, false, "not installed"), Launcher);

    /// <summary>What bubblewrap or the engine itself sets up before the launcher starts (kept as planned).</summary>
    private static readonly string[] NamespaceLayer =
        ["namespace-user", "namespace-pid", "namespace-network", "private-dev", "private-tmp", "read-only-mounts", "pinned-ancestors",
         "protected-paths", "always-read-only", "deny-read", "process-limit", "read-limit-mounts"];

    private static readonly LauncherStatus Everything = new()
    {
        Executed = true, Supervised = true, Landlock = true, LandlockAbi = 7, LandlockRules = 30, LandlockNetwork = true, LandlockScope = true,
        Seccomp = true, SeccompNetwork = LauncherContract.LauncherNetworkMode.Allowlist, SeccompMetadata = true, NoUnixSockets = true,
        NoNewPrivileges = true, Capabilities = true, BoundingSet = true, NewSession = true, Descriptors = true, ReadLimit = true, ReadableRoots = 2,
        Limits = new Dictionary<string, ulong> { ["core"] = 0 },
    };

    private static IEnumerable<LaunchPlan> Plans(TempTree t)
    {
        foreach (var host in new[] { Bwrap, LauncherOnly })
        foreach (var mode in new[] { SandboxMode.ReadOnly, SandboxMode.WorkspaceWrite })
        foreach (var network in Enum.GetValues<NetworkMode>())
        foreach (var readable in new[] { null, new[] { t.Project } })
        {
            var policy = CodexSandbox.Engine.Backends.PlatformCapability.Sample(mode, t.Project) with
            {
                NetworkMode = network,
                AllowedPorts = network == NetworkMode.Allowlist ? [443] : [],
                DenyRead = [t.Write("secret", "s")],
                Limits = new ResourceLimits { CpuSeconds = 5 },
                ReadableRoots = readable,
            };
            yield return LinuxCommandBuilder.Build(policy, ["/bin/true"], host);
        }
    }

    [Fact]
    public void EveryPlannedProtectionBelongsToALayer()
    {
        // A new protection must say who applies it: the launcher (then the status record confirms it) or bubblewrap.
        using var t = new TempTree();
        foreach (var plan in Plans(t))
        foreach (var entry in plan.Enforced)
        {
            var key = LauncherEnforcement.Key(entry);
            Assert.True(LauncherEnforcement.Confirmation(plan.Backend, key) is not null || NamespaceLayer.Contains(key), $"{plan.Backend}: {entry}");
        }
    }

    [Fact]
    public void ARecordThatConfirmsEverythingKeepsThePlan()
    {
        using var t = new TempTree();
        foreach (var plan in Plans(t))
        {
            var (enforced, notEnforced) = LauncherEnforcement.Apply(plan.Backend, plan.Enforced, plan.NotEnforced, Everything);
            Assert.Equal(plan.Enforced, enforced);
            Assert.Equal(plan.NotEnforced, notEnforced);
        }
    }

    [Fact]
    public void WithoutLandlockNoLandlockProtectionIsClaimed()
    {
        using var t = new TempTree();
        var noLandlock = Everything with { Landlock = false, LandlockAbi = 0, LandlockRules = 0, LandlockNetwork = false, LandlockScope = false };
        foreach (var plan in Plans(t))
        {
            var (enforced, notEnforced) = LauncherEnforcement.Apply(plan.Backend, plan.Enforced, plan.NotEnforced, noLandlock);
            Assert.DoesNotContain(enforced, e => e.StartsWith("landlock", StringComparison.Ordinal) || e.Contains("(Landlock)", StringComparison.Ordinal));
            Assert.Contains(notEnforced, n => n.StartsWith("landlock-filesystem: planned, but not applied: the launcher applied no Landlock ruleset", StringComparison.Ordinal));
            Assert.Contains(enforced, e => e.StartsWith("seccomp:", StringComparison.Ordinal));
            if (plan.Backend == "linux-bwrap")
                Assert.Contains(enforced, e => e.StartsWith("namespace-pid", StringComparison.Ordinal));
            else
                Assert.Contains(notEnforced, n => n.StartsWith("private-dev: planned, but not applied", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void NoRecordOrARefusalLeavesOnlyTheNamespaceLayer()
    {
        using var t = new TempTree();
        var refused = new LauncherStatus { Executed = false, Error = LauncherContract.LaunchErrorKind.RestrictionFailed, ErrorName = "RestrictionFailed", Message = "seccomp: Invalid argument" };
        foreach (var plan in Plans(t))
        {
            foreach (var (status, reason) in new[] { ((LauncherStatus?)null, "the launcher wrote no status record"), (refused, "RestrictionFailed: seccomp: Invalid argument") })
            {
                var (enforced, notEnforced) = LauncherEnforcement.Apply(plan.Backend, plan.Enforced, plan.NotEnforced, status);
                Assert.All(enforced, e => Assert.Contains(LauncherEnforcement.Key(e), NamespaceLayer));
                Assert.Contains(notEnforced, n => n.StartsWith("no-new-privileges: planned, but not applied", StringComparison.Ordinal) && n.Contains(reason, StringComparison.Ordinal));
                Assert.Equal(plan.Enforced.Count + plan.NotEnforced.Count, enforced.Count + notEnforced.Count);
            }
        }
    }

    [Fact]
    public void AReadLimitIsClaimedOnlyWhenTheLauncherReportsIt()
    {
        using var t = new TempTree();
        var limited = Plans(t).Where(p => p.Arguments.Contains(LauncherContract.LauncherOption.ReadLimit)).ToList();
        Assert.Equal(12, limited.Count);
        foreach (var plan in limited)
        {
            Assert.Contains(plan.Enforced, e => e.StartsWith("read-limit: reading, listing and executing only in " + t.Project, StringComparison.Ordinal));
            var (enforced, notEnforced) = LauncherEnforcement.Apply(plan.Backend, plan.Enforced, plan.NotEnforced, Everything with { ReadLimit = false });
            Assert.DoesNotContain(enforced, e => e.StartsWith("read-limit:", StringComparison.Ordinal));
            Assert.Contains("read-limit: planned, but not applied: the launcher's Landlock ruleset does not limit reads", notEnforced);
            // the mounts are bubblewrap's, set up before the launcher starts
            Assert.Equal(plan.Backend == "linux-bwrap", enforced.Any(e => e.StartsWith("read-limit-mounts:", StringComparison.Ordinal)));
        }
        Assert.All(Plans(t).Where(p => !p.Arguments.Contains(LauncherContract.LauncherOption.ReadLimit)), p => Assert.DoesNotContain(p.Enforced, e => e.StartsWith("read-limit", StringComparison.Ordinal)));
    }

    [Fact]
    public void TheKernelDependentPartsAreCheckedOneByOne()
    {
        using var t = new TempTree();
        var plan = Plans(t).First(p => p.Backend == "linux-launcher" && p.Enforced.Any(e => e.StartsWith("landlock-scope", StringComparison.Ordinal)));
        var partial = Everything with { LandlockScope = false, NewSession = false, Supervised = false };
        var (enforced, notEnforced) = LauncherEnforcement.Apply(plan.Backend, plan.Enforced, plan.NotEnforced, partial);
        foreach (var key in new[] { "landlock-scope", "new-session", "lifetime" })
        {
            Assert.DoesNotContain(enforced, e => e.StartsWith(key, StringComparison.Ordinal));
            Assert.Contains(notEnforced, n => n.StartsWith(key + ": planned, but not applied", StringComparison.Ordinal));
        }
        Assert.Contains(enforced, e => e.StartsWith("landlock-filesystem", StringComparison.Ordinal));
    }
}
