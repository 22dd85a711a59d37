namespace CodexSandbox.Launcher.Tests.Filesystem;

/// <summary>--read-limit: reading, listing and executing only beneath the --readable paths, the writable roots, the --ro
/// paths and the devices; --deny still wins. Each denial is checked against the same attempt without the limit.</summary>
[Collection(LauncherCollection.Name)]
public sealed class ReadLimitTests(LauncherFixture f)
{
    /// <summary>The platform read defaults a profile's <c>:minimal</c> grants, as the engine passes them.</summary>
    private static readonly string[] Minimal = ["/bin", "/sbin", "/usr", "/etc", "/lib", "/lib64"];

    /// <summary>Root/ws/f = "w", Root/out/plain = "plain".</summary>
    private static Scratch Seeded()
    {
        var s = new Scratch();
        File.WriteAllText(s.InWorkspace("f"), "w");
        File.WriteAllText(s.InOutside("plain"), "plain");
        return s;
    }

    private static string[] Limit(params string[] readable) =>
        ["--read-limit", .. Minimal.Where(p => Directory.Exists(p)).SelectMany(p => new[] { "--readable", p }), .. readable.SelectMany(p => new[] { "--readable", p })];

    private string Open(string path, string mode, params string[] options) =>
        f.Run([.. options, "--", f.TryIt, "open", path, mode]).Stdout.Trim();

    [Fact]
    public void OnlyTheReadablePathsCanBeReadListedAndExecuted()
    {
        using var s = Seeded();
        string[] limit = Limit(s.Workspace, f.TryIt);
        Assert.Equal("ok", Open(s.InOutside("plain"), "rdonly"));
        Assert.Equal("EACCES", Open(s.InOutside("plain"), "rdonly", limit));
        Assert.Equal("ok", Open(s.InWorkspace("f"), "rdonly", limit));

        // cat outside fails, ls of a folder outside and of / fail, the shell and the workspace work
        var outside = f.Run([.. limit, "--", "/bin/sh", "-c", $"cat {s.InOutside("plain")}"]);
        Assert.NotEqual(0, outside.ExitCode);
        Assert.Contains("Permission denied", outside.Stderr);
        Assert.NotEqual(0, f.Run([.. limit, "--", "ls", s.Outside]).ExitCode);
        Assert.NotEqual(0, f.Run([.. limit, "--", "ls", "/"]).ExitCode);
        Assert.Equal(0, f.Run(["--", "ls", s.Outside]).ExitCode);
        var inside = f.Run([.. limit, "--chdir", s.Workspace, "--", "/bin/sh", "-c", "cat f && ls"]);
        Assert.Equal(0, inside.ExitCode);
        Assert.Equal("wf", inside.Stdout.Replace("\n", ""));

        // a program outside the readable paths cannot be executed
        string tool = s.InOutside("true");
        File.Copy("/bin/true", tool);
        File.SetUnixFileMode(tool, (UnixFileMode)0x1ED);
        Assert.Equal(0, f.Run("--", tool).ExitCode);
        Assert.Equal(126, f.Run([.. limit, "--", tool]).ExitCode);
    }

    [Fact]
    public void WritableRootsAreReadableAndListableUnderTheLimit()
    {
        using var s = Seeded();
        var r = f.Run([.. Limit(), "--mode", "workspace-write", "--rw", s.Workspace, "--", "/bin/sh", "-c",
            $"echo x > {s.InWorkspace("g")} && cat {s.InWorkspace("g")} && ls {s.Workspace} && cat {s.InOutside("plain")}"]);
        Assert.Equal("x\nf\ng\n", r.Stdout);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("Permission denied", r.Stderr);
    }

    [Fact]
    public void DenyBeatsReadBothBelowAndAboveAReadablePath()
    {
        using var s = Seeded();
        File.WriteAllText(s.InWorkspace("secret"), "secret");
        // a --deny inside a readable path stays unreadable, its sibling reads
        string[] below = [.. Limit(s.Workspace), "--deny", s.InWorkspace("secret")];
        Assert.Equal("EACCES", Open(s.InWorkspace("secret"), "rdonly", [.. below, "--readable", f.TryIt]));
        Assert.Equal("ok", Open(s.InWorkspace("f"), "rdonly", [.. below, "--readable", f.TryIt]));
        // a --readable inside a --deny gets nothing
        Assert.False(f.TryIt.StartsWith(s.Root, StringComparison.Ordinal));
        Assert.Equal("EACCES", Open(s.InWorkspace("f"), "rdonly", [.. Limit(s.Workspace, f.TryIt), "--deny", s.Root]));
    }

    [Fact]
    public void TheProgramAloneIsNotEnoughForADynamicallyLinkedOneItsLoaderMustBeReadableToo()
    {
        using var s = Seeded();
        string tool = s.InOutside("true");
        File.Copy("/bin/true", tool);
        File.SetUnixFileMode(tool, (UnixFileMode)0x1ED);
        Assert.Equal(126, f.Run(["--read-limit", "--readable", tool, "--", tool]).ExitCode);
        string[] libraries = ["/lib", "/lib64", "/usr/lib", "/usr/lib64"];
        var withLoader = libraries.Where(Directory.Exists).SelectMany(p => new[] { "--readable", p });
        Assert.Equal(0, f.Run(["--read-limit", "--readable", tool, .. withLoader, "--", tool]).ExitCode);
    }
}
