using CodexSandbox.Engine.Backends;
using CodexSandbox.Engine.Backends.Linux;
using CodexSandbox.Engine.Tests.Configuration;

namespace CodexSandbox.Engine.Tests.Backends.Linux;

/// <summary>The Linux launch as a command line: what bubblewrap mounts, in which order, and what the launcher is told.</summary>
public class LinuxCommandBuilderTests
{
    private const string Launcher = "/opt/codexsandbox/bin/linux-x64/codex-linux-sandbox";
    private static readonly LinuxHost Bwrap = new(7, true, new BwrapProbe.Result("/usr/bin/bwrap", "0.8.0", true, null), Launcher);
    private static readonly LinuxHost LauncherOnly = new(7, true, new BwrapProbe.Result(null, null, false, "not installed"), Launcher);

    private static SandboxPolicy Policy(TempTree t, SandboxMode mode = SandboxMode.WorkspaceWrite, string? cwd = null, string[]? roots = null,
        NetworkMode network = NetworkMode.Off, string[]? alwaysReadOnly = null)
    {
        cwd ??= t.Project;
        var always = alwaysReadOnly ?? [];
        var rootPaths = mode == SandboxMode.WorkspaceWrite ? (roots ?? [cwd]) : [];
        var temp = CodexSandbox.Engine.Policy.TempPlan.Resolve(mode, false, false, false, new Dictionary<string, string>());
        return new SandboxPolicy
        {
            SandboxMode = mode,
            WorkingDirectory = cwd,
            NetworkMode = network,
            WritableRoots = rootPaths.Select(r => new WritableRoot(r, CodexSandbox.Engine.Policy.ProtectedPaths.For(r, cwd, always))).ToList(),
            AlwaysReadOnly = always,
            TempFolders = temp.Private,
            HiddenPaths = temp.Hidden,
        };
    }

    /// <summary>The index of the first "flag a b" triple, or -1.</summary>
    private static int IndexOf(IReadOnlyList<string> args, string flag, string path)
    {
        for (int i = 0; i + 2 < args.Count; i++)
        {
            if (args[i] == flag && args[i + 1] == path && (flag == "--tmpfs" || args[i + 2] == path)) return i;
        }
        return -1;
    }

    private static int IndexOfTmpfs(IReadOnlyList<string> args, string path)
    {
        for (int i = 0; i + 1 < args.Count; i++) if (args[i] == "--tmpfs" && args[i + 1] == path) return i;
        return -1;
    }

    [Fact]
    public void BwrapGivesAPrivateTmpAndHidesTheHostFoldersBeforeAnyRootIsMounted()
    {
        using var t = new TempTree();
        var launch = LinuxCommandBuilder.Build(Policy(t), ["/bin/true"], Bwrap);
        var a = launch.Arguments;
        int tmp = IndexOfTmpfs(a, "/tmp");
        Assert.True(tmp > 0, string.Join(' ', a));
        Assert.True(IndexOfTmpfs(a, "/var/tmp") > 0);
        // The project lives under /tmp here: it is mounted again after the private /tmp, so it stays visible and writable.
        Assert.True(IndexOf(a, "--bind", t.Project) > tmp);
        Assert.Equal(["--perms", "01777"], a.Skip(tmp - 2).Take(2));
        Assert.Contains(launch.Enforced, e => e.StartsWith("private-tmp:", StringComparison.Ordinal));
        // Landlock inside lets the command write its own /tmp (a tmpfs there, not the host's).
        Assert.True(IndexOf2(a, "--rw", "/tmp"));
        Assert.DoesNotContain("/tmp", a.Where((x, i) => i > 0 && a[i - 1] == "--remount-ro"));
    }

    [Fact]
    public void ReadOnlyModeHidesTmpReadOnlyAndShowsTheWorkingDirectoryAgainReadOnly()
    {
        using var t = new TempTree();
        var launch = LinuxCommandBuilder.Build(Policy(t, SandboxMode.ReadOnly), ["/bin/true"], Bwrap);
        var a = launch.Arguments;
        Assert.True(IndexOf(a, "--ro-bind", t.Project) > IndexOfTmpfs(a, "/tmp"));
        Assert.Contains("/tmp", a.Where((x, i) => i > 0 && a[i - 1] == "--remount-ro"));
        Assert.DoesNotContain("--bind", a);
    }

    [Fact]
    public void SharedTmpHidesNothing()
    {
        using var t = new TempTree();
        var policy = Policy(t) with { SharedTmp = true, TempFolders = [], HiddenPaths = [] };
        var a = LinuxCommandBuilder.Build(policy, ["/bin/true"], Bwrap).Arguments;
        Assert.Equal(-1, IndexOfTmpfs(a, "/tmp"));
    }

    [Fact]
    public void ProtectedPathsOfEveryAncestorAreReadOnlyTheirFoldersPinnedAndMissingOnesMasked()
    {
        using var t = new TempTree();
        var root = t.Dir("w");
        var proj = t.Dir("w/proj");
        var sub = t.Dir("w/proj/sub");
        Directory.CreateDirectory(Path.Combine(proj, ".git"));
        var launch = LinuxCommandBuilder.Build(Policy(t, cwd: sub, roots: [root]), ["/bin/true"], Bwrap);
        var a = launch.Arguments;
        int rootBind = IndexOf(a, "--bind", root);
        Assert.True(rootBind > 0);
        // Pinned: each folder between the root and the protected paths is a mount point, so it cannot be renamed.
        Assert.True(IndexOf(a, "--bind", proj) > rootBind);
        Assert.True(IndexOf(a, "--bind", sub) > IndexOf(a, "--bind", proj));
        Assert.True(IndexOf(a, "--ro-bind", Path.Combine(proj, ".git")) > IndexOf(a, "--bind", sub));
        // A missing .git becomes an empty read-only folder; a missing .codex an empty read-only file.
        Assert.Contains(Path.Combine(sub, ".git"), launch.HostActions.MaskDirectories);
        Assert.Contains(Path.Combine(root, ".git"), launch.HostActions.MaskDirectories);
        Assert.Contains(Path.Combine(proj, ".codex"), launch.HostActions.MaskFiles);
        Assert.Contains("--remount-ro", a);
        Assert.Contains(Path.Combine(sub, ".git"), a.Where((x, i) => i > 0 && a[i - 1] == "--remount-ro"));
    }

    [Fact]
    public void AlwaysReadOnlyPathsInsideARootAreMountedReadOnlyWithBwrapAndRefusedWithoutIt()
    {
        using var t = new TempTree();
        var home = Directory.CreateDirectory(Path.Combine(t.Project, ".home/codex")).FullName;
        var policy = Policy(t, alwaysReadOnly: [home]);
        var launch = LinuxCommandBuilder.Build(policy, ["/bin/true"], Bwrap);
        Assert.True(IndexOf(launch.Arguments, "--ro-bind", home) > IndexOf(launch.Arguments, "--bind", t.Project));
        Assert.True(IndexOf(launch.Arguments, "--bind", Path.Combine(t.Project, ".home")) > 0, "its parent is pinned");

        var e = Assert.Throws<SandboxUnavailableException>(() => LinuxCommandBuilder.Build(policy, ["/bin/true"], LauncherOnly));
        Assert.Contains(home, e.Message);
        Assert.Contains("bubblewrap", e.Remedy);
    }

    [Fact]
    public void AMissingPathBelowAReadOnlyOneIsNotMaskedSinceNothingCanBeCreatedThere()
    {
        using var t = new TempTree();
        var home = Directory.CreateDirectory(Path.Combine(t.Project, "home/.codex")).FullName;
        var launch = LinuxCommandBuilder.Build(Policy(t, alwaysReadOnly: [home, Path.Combine(home, "log")]), ["/bin/true"], Bwrap);
        Assert.True(IndexOf(launch.Arguments, "--ro-bind", home) > 0);
        Assert.DoesNotContain(Path.Combine(home, "log"), launch.Arguments);
        Assert.DoesNotContain(launch.HostActions.MaskDirectories, d => d.StartsWith(home, StringComparison.Ordinal));
    }

    [Fact]
    public void TheLauncherFolderInsideARootIsNeverWritable()
    {
        using var t = new TempTree();
        var bin = Directory.CreateDirectory(Path.Combine(t.Project, "out/bin")).FullName;
        var host = Bwrap with { LauncherPath = Path.Combine(bin, "codex-linux-sandbox") };
        var launch = LinuxCommandBuilder.Build(Policy(t), ["/bin/true"], host);
        Assert.True(IndexOf(launch.Arguments, "--ro-bind", bin) > 0);
        Assert.Throws<SandboxUnavailableException>(() => LinuxCommandBuilder.Build(Policy(t), ["/bin/true"], host with { Bwrap = LauncherOnly.Bwrap }));
    }

    [Fact]
    public void LauncherAloneHidesTheHostFoldersAndDevWithLandlockAndSupervisesTheRun()
    {
        using var t = new TempTree();
        var launch = LinuxCommandBuilder.Build(Policy(t), ["/bin/true"], LauncherOnly, runId: "fixedid");
        var a = launch.Arguments;
        Assert.Equal(Launcher, launch.Program);
        foreach (var hidden in new[] { "/tmp", "/var/tmp", "/dev" }) Assert.True(IndexOf2(a, "--deny", hidden), hidden);
        Assert.Contains("--supervise", a);
        var folder = Assert.Single(launch.HostActions.PrivateFolders);
        Assert.EndsWith("codex-sandbox-fixedid", folder);
        Assert.True(IndexOf2(a, "--rw", folder));
        Assert.Equal(folder, launch.EnvironmentChanges["TMPDIR"]);
        Assert.Contains(launch.NotEnforced, n => n.StartsWith("private-tmp:", StringComparison.Ordinal));
        Assert.DoesNotContain("--no-unix-sockets", a);
    }

    [Fact]
    public void AnInteractiveRunAsksTheLauncherToTakeTheTerminal_InEitherLayer()
    {
        using var t = new TempTree();
        foreach (var host in new[] { Bwrap, LauncherOnly })
        {
            var plain = LinuxCommandBuilder.Build(Policy(t), ["/bin/sh"], host);
            Assert.DoesNotContain("--controlling-terminal", plain.Arguments);
            Assert.Contains("new-session: no controlling terminal; TIOCSTI and TIOCLINUX denied", plain.Enforced);

            var interactive = LinuxCommandBuilder.Build(Policy(t), ["/bin/sh"], host, terminal: true);
            var a = interactive.Arguments.ToList();
            // A launcher option: after the launcher's path (inside bwrap's command) and before the command's "--".
            int option = a.IndexOf("--controlling-terminal");
            Assert.True(option > a.LastIndexOf(Launcher) && option < a.LastIndexOf("--"), string.Join(' ', a));
            var session = Assert.Single(interactive.Enforced, e => e.StartsWith("new-session:", StringComparison.Ordinal));
            Assert.Contains("private pseudo-terminal", session);
            Assert.Contains("TIOCSTI and TIOCLINUX denied", session);
        }
    }

    [Fact]
    public void LauncherAloneShowsAReadOnlyWorkingDirectoryUnderAHiddenFolder()
    {
        using var t = new TempTree();
        var launch = LinuxCommandBuilder.Build(Policy(t, SandboxMode.ReadOnly), ["/bin/true"], LauncherOnly);
        Assert.True(IndexOf2(launch.Arguments, "--ro", t.Project));
        Assert.Empty(launch.HostActions.PrivateFolders);
    }

    [Fact]
    public void LauncherAloneWithTheNetworkOnDeniesUnixSockets()
    {
        using var t = new TempTree();
        var a = LinuxCommandBuilder.Build(Policy(t, network: NetworkMode.On), ["/bin/true"], LauncherOnly).Arguments;
        Assert.Contains("--no-unix-sockets", a);
        // bwrap hides the host's socket folders instead, so unix sockets stay usable there.
        Assert.DoesNotContain("--no-unix-sockets", LinuxCommandBuilder.Build(Policy(t, network: NetworkMode.On), ["/bin/true"], Bwrap).Arguments);
    }

    [Fact]
    public void AllowlistWithBwrapGetsAPrivateNetworkNamespaceAndRelaysToTheHostSockets()
    {
        using var t = new TempTree();
        var sockets = t.Dir("net");
        var endpoints = new ProxyEndpoints
        {
            HttpPort = 4100, SocksPort = 4101, DirectPorts = [4100, 4101, 5432], SocketFolder = sockets,
            Relays = [new(4100, $"{sockets}/http.sock"), new(4101, $"{sockets}/socks.sock"), new(5432, $"{sockets}/port-5432.sock")],
        };
        var launch = LinuxCommandBuilder.Build(Policy(t, network: NetworkMode.Allowlist), ["/bin/true"], Bwrap, endpoints);
        var a = launch.Arguments;
        Assert.Contains("--unshare-net", a);
        Assert.True(IndexOf(a, "--ro-bind", sockets) > IndexOfTmpfs(a, "/tmp"));
        Assert.Contains($"4100={sockets}/http.sock", a);
        Assert.Contains($"5432={sockets}/port-5432.sock", a);
        Assert.DoesNotContain(launch.NotEnforced, n => n.StartsWith("network-allowlist", StringComparison.Ordinal));

        var alone = LinuxCommandBuilder.Build(Policy(t, network: NetworkMode.Allowlist), ["/bin/true"], LauncherOnly, endpoints with { Relays = [], SocketFolder = null });
        Assert.DoesNotContain("--relay", alone.Arguments);
        Assert.Contains(alone.NotEnforced, n => n.StartsWith("network-allowlist", StringComparison.Ordinal) && n.Contains("4100"));
    }

    [Fact]
    public void EveryLayerClaimsOnlyStdioReachesTheCommand()
    {
        using var t = new TempTree();
        foreach (var host in new[] { Bwrap, LauncherOnly })
        {
            var launch = LinuxCommandBuilder.Build(Policy(t), ["/bin/true"], host);
            Assert.Contains(launch.Enforced, e => e.StartsWith("inherited-descriptors:", StringComparison.Ordinal));
            Assert.DoesNotContain(launch.Enforced, e => e.Contains("no terminal injection") && !e.Contains("TIOCSTI"));
        }
    }

    [Fact]
    public void AnEscalatedRunKeepsDenyReadAndTheTrustedFilesAndNothingElse()
    {
        using var t = new TempTree();
        var secret = t.Write("home/.ssh/id_ed25519", "k");
        Directory.CreateDirectory(Path.Combine(t.Project, ".git/hooks"));
        File.WriteAllText(Path.Combine(t.Project, ".git/config"), "");
        var home = t.Dir("codex-home");
        var policy = Policy(t, SandboxMode.ReadOnly, alwaysReadOnly: [home]) with { DenyRead = [secret], ProjectRoot = t.Project };
        var launch = EscalatedLaunch.Build(policy, ["cat", "x"], Bwrap, "/usr/bin/cat", callerIsRoot: true)!;
        var a = launch.Arguments;
        Assert.Equal("linux-escalated", launch.Backend);
        Assert.Equal(["--die-with-parent", "--unshare-user", "--unshare-pid", "--cap-drop", "ALL", "--bind", "/", "/"], a.Take(8));
        Assert.Equal("/dev/null", a[a.ToList().IndexOf(secret) - 1]);   // masked
        Assert.True(IndexOf(a, "--ro-bind", home) > 0);
        Assert.True(IndexOf(a, "--ro-bind", Path.Combine(t.Project, ".git/hooks")) > 0);
        Assert.True(IndexOf(a, "--ro-bind", Path.Combine(t.Project, ".git/config")) > 0);
        Assert.Equal(-1, IndexOf(a, "--ro-bind", Path.Combine(t.Project, ".git")));   // objects, refs, index stay writable
        Assert.True(IndexOf2(a, "--dev", "/dev"), "root gets a private /dev: it owns the raw disks");
        Assert.Equal(["--", "/usr/bin/cat", "x"], a.TakeLast(3));
        Assert.False(IndexOf2(EscalatedLaunch.Build(policy, ["cat"], Bwrap, "/usr/bin/cat", callerIsRoot: false)!.Arguments, "--dev", "/dev"));
    }

    [Fact]
    public void AnEscalatedRunWithNothingDeniedHasNoSandboxAndWithoutBwrapItIsRefused()
    {
        using var t = new TempTree();
        Assert.Null(EscalatedLaunch.Build(Policy(t), ["true"], Bwrap, "/bin/true", callerIsRoot: false));
        var secret = t.Write("s.env", "k");
        var e = Assert.Throws<SandboxUnavailableException>(() => EscalatedLaunch.Build(Policy(t) with { DenyRead = [secret] }, ["true"], LauncherOnly, "/bin/true", false));
        Assert.Contains("deny_read", e.Message);
        Assert.Contains("bubblewrap", e.Remedy);
    }

    private static bool IndexOf2(IReadOnlyList<string> args, string flag, string value)
    {
        for (int i = 0; i + 1 < args.Count; i++) if (args[i] == flag && args[i + 1] == value) return true;
        return false;
    }
}
