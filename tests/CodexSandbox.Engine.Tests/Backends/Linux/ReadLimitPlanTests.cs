using CodexSandbox.Engine.Backends.Linux;
using CodexSandbox.Engine.Tests.Configuration;
using CodexSandbox.LauncherContract;

namespace CodexSandbox.Engine.Tests.Backends.Linux;

/// <summary>A permission profile's read limit as a command line: bubblewrap mounts only the readable paths on an empty
/// root, the launcher is told to limit reads, and the program can still start.</summary>
public class ReadLimitPlanTests
{
    private const string Launcher = "/opt/codexsandbox/bin/linux-x64/codex-linux-sandbox";
    private static readonly LinuxHost Bwrap = new(7, true, new BwrapProbe.Result("/usr/bin/bwrap", "0.8.0", true, null), Launcher);
    private static readonly LinuxHost LauncherOnly = new(7, true, new BwrapProbe.Result(null, null, false, "not installed"), Launcher);
    private static readonly string[] Minimal = ["/bin", "/sbin", "/usr", "/etc", "/lib", "/lib64"];

    private static SandboxPolicy Policy(string cwd, IReadOnlyList<string>? readable, SandboxMode mode = SandboxMode.ReadOnly) =>
        CodexSandbox.Engine.Backends.PlatformCapability.Sample(mode, cwd) with
        {
            ReadableRoots = readable,
            Environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" },
        };

    private static List<string> Values(IReadOnlyList<string> args, string flag) =>
        args.Select((a, i) => (a, i)).Where(x => x.a == flag && x.i + 1 < args.Count).Select(x => args[x.i + 1]).ToList();

    private static int IndexOf(IReadOnlyList<string> args, params string[] sequence)
    {
        for (int i = 0; i + sequence.Length <= args.Count; i++) if (args.Skip(i).Take(sequence.Length).SequenceEqual(sequence)) return i;
        return -1;
    }

    private static IReadOnlyList<string> Existing(params string[] paths) => paths.Where(p => Directory.Exists(p) || File.Exists(p)).ToList();

    [Fact]
    public void WithoutALimitTheWholeDiskIsMountedAndNothingIsLimited()
    {
        using var t = new TempTree();
        var a = LinuxCommandBuilder.Build(Policy(t.Project, null), ["/bin/sh"], Bwrap).Arguments;
        Assert.True(IndexOf(a, "--ro-bind", "/", "/") >= 0);
        Assert.DoesNotContain(LauncherOption.ReadLimit, a);
        Assert.DoesNotContain(LauncherOption.ReadablePath, a);
    }

    [Fact]
    public void BwrapMountsOnlyTheReadablePathsOnAnEmptyReadOnlyRoot()
    {
        using var t = new TempTree();
        var data = t.Dir("data");
        var readable = Existing([.. Minimal, t.Project, data]);
        var plan = LinuxCommandBuilder.Build(Policy(t.Project, readable), ["/bin/sh"], Bwrap);
        var a = plan.Arguments;
        Assert.Equal(-1, IndexOf(a, "--ro-bind", "/", "/"));
        Assert.True(IndexOf(a, "--ro-bind-try", "/usr", "/usr") > 0, string.Join(' ', a));
        // the project lives under /tmp here: it is shown again after the private /tmp, and stays read-only
        Assert.True(IndexOf(a, "--ro-bind-try", data, data) > IndexOf(a, "--tmpfs", "/tmp"));
        Assert.True(IndexOf(a, "--remount-ro", "/") > IndexOf(a, "--ro-bind-try", data, data));
        Assert.True(IndexOf(a, "--remount-ro", "/") < IndexOf(a, "--chdir"));
        // the launcher limits reads to the same paths, and the sandbox's own /proc
        int launcher = a.ToList().IndexOf(Launcher);
        var launcherArgs = a.Skip(launcher).ToList();
        Assert.Contains(LauncherOption.ReadLimit, launcherArgs);
        Assert.Equal([.. readable, "/proc"], Values(launcherArgs, LauncherOption.ReadablePath));
        Assert.Contains(plan.Enforced, e => e.StartsWith("read-limit: reading, listing and executing only in /bin", StringComparison.Ordinal));
        Assert.Contains(plan.Enforced, e => e.StartsWith("read-limit-mounts:", StringComparison.Ordinal));
        Assert.DoesNotContain(plan.NotEnforced, e => e.StartsWith("read-limit", StringComparison.Ordinal));
    }

    [Fact]
    public void WithoutMinimalTheProgramItsLoaderAndTheLibraryFoldersAreAdded()
    {
        using var t = new TempTree();
        var plan = LinuxCommandBuilder.Build(Policy(t.Project, [t.Project]), ["sh", "-c", "true"], Bwrap);
        var sh = CodexSandbox.Engine.Execution.SandboxExecutor.ResolveProgram("sh", new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" }, t.Project)!;
        var loader = ElfInterpreter.Of(sh);
        Assert.NotNull(loader);
        var readable = Values(plan.Arguments, LauncherOption.ReadablePath);
        Assert.Equal(t.Project, readable[0]);
        Assert.Contains(sh, readable);
        Assert.Contains(loader, readable);
        Assert.Contains("/usr/lib", readable);
        Assert.True(IndexOf(plan.Arguments, "--ro-bind-try", sh, sh) > 0);
        Assert.Contains(plan.Enforced, e => e.Contains($"; to start {sh}: {sh}, {loader}", StringComparison.Ordinal));
        // nothing that is not a program's start set: /etc stays unreadable
        Assert.DoesNotContain("/etc", readable);
        Assert.DoesNotContain("/etc", Values(plan.Arguments, "--ro-bind-try"));
    }

    [Fact]
    public void AScriptBringsItsInterpreter()
    {
        using var t = new TempTree();
        var script = t.Write("data/run.sh", "#!/bin/sh -e\necho hi\n");
        var start = ProgramStart.For(script);
        Assert.Equal(script, start[0]);
        Assert.Equal("/bin/sh", start[1]);
        Assert.Contains(ElfInterpreter.Of("/bin/sh"), start);
        Assert.Null(ElfInterpreter.Of(script));
    }

    [Fact]
    public void AnUnreadableWorkingDirectoryIsAnEmptyFolderInside()
    {
        using var t = new TempTree();
        var elsewhere = t.Dir("elsewhere");
        var a = LinuxCommandBuilder.Build(Policy(elsewhere, Existing(Minimal)), ["/bin/true"], Bwrap).Arguments;
        Assert.True(IndexOf(a, "--dir", elsewhere) > IndexOf(a, "--tmpfs", "/tmp"));
        Assert.Equal(-1, IndexOf(a, "--ro-bind", elsewhere, elsewhere));
    }

    [Fact]
    public void ThePrivateTmpIsReadableAsTheProfileSaysButTheHostsIsNeverBound()
    {
        using var t = new TempTree();
        var readable = Existing([.. Minimal, "/tmp", t.Project]);
        var bwrap = LinuxCommandBuilder.Build(Policy(t.Project, readable), ["/bin/true"], Bwrap).Arguments;
        Assert.Equal(-1, IndexOf(bwrap, "--ro-bind-try", "/tmp", "/tmp"));
        Assert.Contains("/tmp", Values(bwrap, LauncherOption.ReadablePath));
        // without the namespace layer the host's /tmp stays hidden (deny beats read); a path inside it is reopened
        var alone = LinuxCommandBuilder.Build(Policy(t.Project, readable), ["/bin/true"], LauncherOnly);
        Assert.DoesNotContain("/tmp", Values(alone.Arguments, LauncherOption.ReadablePath));
        Assert.Contains("/tmp", Values(alone.Arguments, LauncherOption.DeniedPath));
        Assert.Contains(t.Project, Values(alone.Arguments, LauncherOption.ReadOnlyPath));
        Assert.Contains(alone.NotEnforced, n => n.StartsWith("read-limit-lookup: names and metadata outside the readable paths can still be looked up", StringComparison.Ordinal));
        Assert.DoesNotContain("/proc", Values(alone.Arguments, LauncherOption.ReadablePath));
    }

    [Fact]
    public void WritableRootsAreReadableWithoutBeingListedTwice()
    {
        using var t = new TempTree();
        var plan = LinuxCommandBuilder.Build(Policy(t.Project, Existing([.. Minimal, t.Project]), SandboxMode.WorkspaceWrite), ["/bin/true"], Bwrap);
        Assert.True(IndexOf(plan.Arguments, "--bind", t.Project, t.Project) > 0);
        Assert.Equal(-1, IndexOf(plan.Arguments, "--ro-bind-try", t.Project, t.Project));
        Assert.Contains(t.Project, Values(plan.Arguments, LauncherOption.WritableRoot));
    }
}
