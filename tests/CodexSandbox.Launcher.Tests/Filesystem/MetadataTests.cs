namespace CodexSandbox.Launcher.Tests.Filesystem;

/// <summary>Landlock does not see chmod/chown/utime/xattr; read-only mode denies them with seccomp,
/// workspace-write allows them inside the root.</summary>
[Collection(LauncherCollection.Name)]
public sealed class MetadataTests(LauncherFixture f)
{
    [Theory]
    [InlineData("chmod"), InlineData("chown"), InlineData("utime"), InlineData("setxattr")]
    public void ReadOnlyModeDeniesMetadataChangesWhileWorkspaceWriteAllowsThemInsideTheRoot(string op)
    {
        using var s = new Scratch();
        string file = s.InWorkspace("f");
        File.WriteAllText(file, "x");
        File.SetUnixFileMode(file, (UnixFileMode)0x1A4); // 0644
        var before = new FileInfo(file).LastWriteTimeUtc;

        var denied = f.Run("--mode", "read-only", "--", f.TryIt, op, file);
        Assert.Equal(1, denied.ExitCode);
        Assert.Equal("EPERM", denied.Stdout.Trim());
        Assert.Equal((UnixFileMode)0x1A4, File.GetUnixFileMode(file));
        Assert.Equal(before, new FileInfo(file).LastWriteTimeUtc);

        var allowed = f.Run("--mode", "workspace-write", "--rw", s.Workspace, "--", f.TryIt, op, file);
        Assert.True(allowed.ExitCode == 0, allowed.Stdout + allowed.Stderr);
        if (op == "chmod") Assert.Equal((UnixFileMode)0x180, File.GetUnixFileMode(file)); // 0600
        if (op == "utime") Assert.Equal(2001, new FileInfo(file).LastWriteTimeUtc.Year);
    }

    [Fact]
    public void TouchOfAnExistingFileInReadOnlyModeLeavesItsTimestamp()
    {
        using var s = new Scratch();
        string file = s.InWorkspace("f");
        File.WriteAllText(file, "x");
        File.SetLastWriteTimeUtc(file, new DateTime(2010, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.NotEqual(0, f.Run("--", "touch", file).ExitCode);
        Assert.Equal(2010, new FileInfo(file).LastWriteTimeUtc.Year);
    }
}
