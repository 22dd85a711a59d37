using CodexSandbox.Engine.Backends.Linux;
using CodexSandbox.Engine.Tests.Configuration;
using CodexSandbox.LauncherContract;

namespace CodexSandbox.Engine.Tests.Backends.Linux;

/// <summary>
/// A profile's unix_sockets on Linux: with bubblewrap the host's socket folders are hidden, other bound sockets masked
/// and the allowed ones bound back, and only then does the launcher let AF_UNIX connect; without it nothing opens, and
/// the plan says why.
/// </summary>
public class UnixSocketPlanTests
{
    private const string Launcher = "/opt/codexsandbox/bin/linux-x64/codex-linux-sandbox";
    private static readonly LinuxHost Bwrap = new(7, true, new BwrapProbe.Result("/usr/bin/bwrap", "0.8.0", true, null), Launcher);
    private static readonly LinuxHost LauncherOnly = new(7, true, new BwrapProbe.Result(null, null, false, "not installed"), Launcher);

    private static SandboxPolicy Policy(TempTree t, NetworkMode network, string[] allowed, string[]? denied = null, bool all = false)
    {
        var temp = CodexSandbox.Engine.Policy.TempPlan.Resolve(SandboxMode.ReadOnly, false, false, false, new Dictionary<string, string>());
        return new SandboxPolicy
        {
            SandboxMode = SandboxMode.ReadOnly, WorkingDirectory = t.Project, NetworkMode = network, TempFolders = temp.Private, HiddenPaths = temp.Hidden,
            AllowedUnixSockets = allowed, DeniedUnixSockets = denied ?? [], AllowAllUnixSockets = all,
        };
    }

    [Fact]
    public void MasksFoldersAndOtherSocketsThenBindsTheAllowedOnesBack()
    {
        using var t = new TempTree();
        var other = Path.Combine(t.Dir("elsewhere"), "other.sock");
        var allowed = Path.Combine(t.Dir("allowed"), "ok.sock");
        File.WriteAllText(other, "");
        File.WriteAllText(allowed, "");
        // the test tree lives in /tmp: shared here, so that its sockets are the host's
        var policy = Policy(t, NetworkMode.Off, [allowed, "/run/allowed.sock"]) with { SharedTmp = true };
        var masks = UnixSocketMasks.For(policy, [other, allowed, "/run/dbus/system_bus_socket"], null, _ => true);
        Assert.Contains("/run", masks.Folders);
        Assert.DoesNotContain("/var/run", masks.Folders); // a link to /run here
        Assert.Equal([other], masks.Sockets);             // /run is hidden, the allowed one kept
        Assert.Empty(masks.Allowed);                       // visible already; /run/allowed.sock does not exist

        var plan = LinuxCommandBuilder.Build(policy, ["/bin/true"], Bwrap);
        var a = plan.Arguments.ToList();
        int run = a.IndexOf("/run") - 1;
        Assert.Equal("--tmpfs", a[run]);
        Assert.Contains(LauncherOption.AllowUnixConnect, a);
        Assert.Contains(plan.Enforced, e => e.StartsWith("unix-socket-allowlist: only " + allowed, StringComparison.Ordinal));
        Assert.Contains("--remount-ro", a.Skip(run));
    }

    [Fact]
    public void AnAllowedSocketInsideAHiddenFolderIsBoundBackAndADeniedOneMaskedLast()
    {
        using var t = new TempTree();
        var folder = t.Dir("sockets");
        var inside = Path.Combine(folder, "private.sock");
        File.WriteAllText(inside, "");
        var policy = Policy(t, NetworkMode.Off, [folder], [inside]) with { SharedTmp = false };
        var masks = UnixSocketMasks.For(policy, [], null, _ => true);
        Assert.Equal([inside], masks.Denied);
        var a = LinuxCommandBuilder.Build(policy, ["/bin/true"], Bwrap).Arguments.ToList();
        int denied = a.LastIndexOf(inside);
        Assert.Equal(["--ro-bind", "/dev/null", inside], a.Skip(denied - 2).Take(3));
    }

    [Fact]
    public void TheProxyFolderAndNonSocketsAreNeverMasked()
    {
        using var t = new TempTree();
        var proxyFolder = t.Dir("net");
        var policy = Policy(t, NetworkMode.Allowlist, ["/srv/app.sock"]);
        var masks = UnixSocketMasks.For(policy, [Path.Combine(proxyFolder, "http.sock"), "/srv/file"], proxyFolder, p => p != "/srv/file");
        Assert.Empty(masks.Sockets);
    }

    [Fact]
    public void WithoutTheNamespaceLayerNothingOpensAndThePlanSaysWhy()
    {
        using var t = new TempTree();
        var plan = LinuxCommandBuilder.Build(Policy(t, NetworkMode.Off, ["/run/app.sock"]), ["/bin/true"], LauncherOnly);
        Assert.DoesNotContain(LauncherOption.AllowUnixConnect, plan.Arguments);
        var why = Assert.Single(plan.NotEnforced, n => n.StartsWith("unix-socket-allowlist:", StringComparison.Ordinal));
        Assert.Contains("/run/app.sock cannot be reached", why);
        Assert.Contains("every unix socket connection stays blocked", why);
    }

    [Fact]
    public void NetworkOnLeavesSocketsAsTheyWereButMasksDeniedOnes()
    {
        using var t = new TempTree();
        var denied = Path.Combine(t.Dir("d"), "docker.sock");
        File.WriteAllText(denied, "");
        var policy = Policy(t, NetworkMode.On, ["/run/app.sock"], [denied]);
        var plan = LinuxCommandBuilder.Build(policy, ["/bin/true"], Bwrap);
        Assert.DoesNotContain("/run", plan.Arguments.Where((_, i) => i > 0 && plan.Arguments[i - 1] == "--tmpfs"));
        Assert.DoesNotContain(LauncherOption.AllowUnixConnect, plan.Arguments);
        Assert.Contains(plan.Enforced, e => e == $"unix-sockets-denied: {denied} masked");
        // the launcher alone already refuses every AF_UNIX socket with the network on
        Assert.Contains(LauncherOption.NoUnixSockets, LinuxCommandBuilder.Build(policy, ["/bin/true"], LauncherOnly).Arguments);
    }

    [Fact]
    public void AllowAllOpensConnectInBothLayersAndSaysSo()
    {
        using var t = new TempTree();
        var policy = Policy(t, NetworkMode.Off, [], all: true);
        Assert.Contains(LauncherOption.AllowUnixConnect, LinuxCommandBuilder.Build(policy, ["/bin/true"], Bwrap).Arguments);
        var alone = LinuxCommandBuilder.Build(policy, ["/bin/true"], LauncherOnly);
        Assert.Contains(LauncherOption.AllowUnixConnect, alone.Arguments);
        Assert.Contains(alone.NotEnforced, n => n.Contains("dangerously_allow_all_unix_sockets"));
    }
}
