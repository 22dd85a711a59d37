namespace CodexSandbox.Launcher.Tests.Filesystem;

/// <summary>Every way of changing the filesystem fails outside the writable root (and the host
/// confirms nothing changed) and works inside it.</summary>
[Collection(LauncherCollection.Name)]
public sealed class FilesystemWriteTests(LauncherFixture f)
{
    private sealed record Case(string Script, Func<string, bool> Changed);

    // {d}: the target directory; it holds file "f" containing "orig" before each run.
    private Case For(string op) => op switch
    {
        "create" => new("echo pwn > {d}/new", d => File.Exists(Path.Combine(d, "new"))),
        "overwrite" => new("echo pwn > {d}/f", d => File.ReadAllText(Path.Combine(d, "f")) != "orig"),
        "append" => new("echo pwn >> {d}/f", d => File.ReadAllText(Path.Combine(d, "f")) != "orig"),
        "truncate" => new("truncate -s 0 {d}/f", d => new FileInfo(Path.Combine(d, "f")).Length == 0),
        "rm" => new("rm -f {d}/f", d => !File.Exists(Path.Combine(d, "f"))),
        "rename" => new("mv {d}/f {d}/g", d => File.Exists(Path.Combine(d, "g"))),
        "mkdir" => new("mkdir {d}/sub", d => Directory.Exists(Path.Combine(d, "sub"))),
        "rmdir" => new("rmdir {d}/empty", d => !Directory.Exists(Path.Combine(d, "empty"))),
        "mkfifo" => new(f.TryIt + " mknod-fifo {d}/fifo", d => File.Exists(Path.Combine(d, "fifo"))),
        "symlink" => new("ln -s /etc/hostname {d}/link", d => File.Exists(Path.Combine(d, "link"))),
        "hardlink" => new("ln {d}/f {d}/hl", d => File.Exists(Path.Combine(d, "hl"))),
        _ => throw new ArgumentException(op),
    };

    private static void Seed(string dir)
    {
        File.WriteAllText(Path.Combine(dir, "f"), "orig");
        Directory.CreateDirectory(Path.Combine(dir, "empty"));
    }

    [Theory]
    [InlineData("create"), InlineData("overwrite"), InlineData("append"), InlineData("truncate"), InlineData("rm"),
     InlineData("rename"), InlineData("mkdir"), InlineData("rmdir"), InlineData("mkfifo"), InlineData("symlink"), InlineData("hardlink")]
    public void ChangeOutsideWritableRootIsDeniedAndInsideWorks(string op)
    {
        using var s = new Scratch();
        Seed(s.Workspace);
        Seed(s.Outside);
        var c = For(op);

        var denied = f.Run("--mode", "workspace-write", "--rw", s.Workspace, "--", "sh", "-c", c.Script.Replace("{d}", s.Outside));
        Assert.NotEqual(0, denied.ExitCode);
        Assert.False(c.Changed(s.Outside), $"{op} changed the outside folder: {denied.Stderr}");

        var allowed = f.Run("--mode", "workspace-write", "--rw", s.Workspace, "--", "sh", "-c", c.Script.Replace("{d}", s.Workspace));
        Assert.True(allowed.ExitCode == 0, $"{op} inside failed: {allowed.Stdout}{allowed.Stderr}");
        Assert.True(c.Changed(s.Workspace), $"{op} inside had no effect");
    }

    [Theory]
    [InlineData("create"), InlineData("overwrite"), InlineData("truncate"), InlineData("rm"), InlineData("mkdir"), InlineData("symlink")]
    public void ReadOnlyModeDeniesTheSameChangeInTheFolderThatWouldBeTheRoot(string op)
    {
        using var s = new Scratch();
        Seed(s.Workspace);
        var r = f.Run("--mode", "read-only", "--", "sh", "-c", For(op).Script.Replace("{d}", s.Workspace));
        Assert.NotEqual(0, r.ExitCode);
        Assert.False(For(op).Changed(s.Workspace));
    }

    [Fact]
    public void WriteThroughSymlinkPointingOutsideIsDenied()
    {
        using var s = new Scratch();
        Seed(s.Outside);
        File.WriteAllText(s.InWorkspace("inner"), "orig");
        string script = $"ln -s {s.InOutside("f")} {s.InWorkspace("out-link")} && echo pwn > {s.InWorkspace("out-link")}";
        var denied = f.Run("--mode", "workspace-write", "--rw", s.Workspace, "--", "sh", "-c", script);
        Assert.NotEqual(0, denied.ExitCode);
        Assert.Contains("Permission denied", denied.Stderr);
        Assert.Equal("orig", File.ReadAllText(s.InOutside("f")));

        string inside = $"ln -s {s.InWorkspace("inner")} {s.InWorkspace("in-link")} && printf new > {s.InWorkspace("in-link")}";
        Assert.Equal(0, f.Run("--mode", "workspace-write", "--rw", s.Workspace, "--", "sh", "-c", inside).ExitCode);
        Assert.Equal("new", File.ReadAllText(s.InWorkspace("inner")));
    }

    [Fact]
    public void HardLinkToAnOutsideFileCannotBeMadeInside()
    {
        using var s = new Scratch();
        Seed(s.Outside);
        var r = f.Run("--mode", "workspace-write", "--rw", s.Workspace, "--", "ln", s.InOutside("f"), s.InWorkspace("hl"));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("Invalid cross-device link", r.Stderr);
        Assert.False(File.Exists(s.InWorkspace("hl")));
    }

    [Fact]
    public void MovingAFileOutOfOrIntoTheRootIsDenied()
    {
        using var s = new Scratch();
        Seed(s.Outside);
        File.WriteAllText(s.InWorkspace("mine"), "mine");
        var rw = new[] { "--mode", "workspace-write", "--rw", s.Workspace, "--" };

        Assert.NotEqual(0, f.Run([.. rw, "mv", s.InWorkspace("mine"), s.Outside]).ExitCode);
        Assert.False(File.Exists(s.InOutside("mine")));
        Assert.True(File.Exists(s.InWorkspace("mine")));

        Assert.NotEqual(0, f.Run([.. rw, "mv", s.InOutside("f"), s.Workspace]).ExitCode);
        Assert.True(File.Exists(s.InOutside("f")));
    }

    [Fact]
    public void ReadingAndExecutingOutsideStillWork()
    {
        using var s = new Scratch();
        Seed(s.Outside);
        var r = f.Run("--", "cat", s.InOutside("f"));
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("orig", r.Stdout);
    }

    [Fact]
    public void DevNullIsWritableInReadOnlyMode()
    {
        var r = f.Run("--", "sh", "-c", "echo x > /dev/null && head -c 4 /dev/zero | wc -c");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("4", r.Stdout.Trim());
    }

    [Fact]
    public void MissingWritableRootIsSkippedNotCreated()
    {
        using var s = new Scratch();
        string missing = Path.Combine(s.Root, "missing");
        var r = f.Run("--mode", "workspace-write", "--rw", missing, "--", "mkdir", missing);
        Assert.NotEqual(0, r.ExitCode);
        Assert.False(Directory.Exists(missing));
    }
}
