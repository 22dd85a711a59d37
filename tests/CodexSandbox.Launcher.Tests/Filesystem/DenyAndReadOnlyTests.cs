using System.Runtime.InteropServices;

namespace CodexSandbox.Launcher.Tests.Filesystem;

/// <summary>--deny hides a subtree from reading and executing (listing stays), --ro and --rw reopen
/// paths inside it, and neither symlinks nor FIFOs nor the terminal devices get around it. Each
/// denial is checked against the same attempt without the option.</summary>
[Collection(LauncherCollection.Name)]
public sealed class DenyAndReadOnlyTests(LauncherFixture f)
{
    /// <summary>Root/ws/f = "w", Root/out/plain = "plain", Root/out/secret = "secret".</summary>
    private static Scratch Seeded()
    {
        var s = new Scratch();
        File.WriteAllText(s.InWorkspace("f"), "w");
        File.WriteAllText(s.InOutside("plain"), "plain");
        File.WriteAllText(s.InOutside("secret"), "secret");
        return s;
    }

    private string Open(string path, string mode, params string[] options) =>
        f.Run([.. options, "--", f.TryIt, "open", path, mode]).Stdout.Trim();

    [Fact]
    public void DeniedFileIsUnreadableWhileItsDirectoryListsAndItsSiblingReads()
    {
        using var s = Seeded();
        Assert.Equal("ok", Open(s.InOutside("secret"), "rdonly"));
        Assert.Equal("EACCES", Open(s.InOutside("secret"), "rdonly", "--deny", s.InOutside("secret")));

        var ls = f.Run("--deny", s.InOutside("secret"), "--", "ls", s.Outside);
        Assert.Equal(0, ls.ExitCode);
        Assert.Equal(["plain", "secret"], ls.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var sibling = f.Run("--deny", s.InOutside("secret"), "--", "cat", s.InOutside("plain"));
        Assert.Equal("plain", sibling.Stdout);

        // A relative --deny is resolved after --chdir; a --deny that does not exist is ignored.
        Assert.Equal("EACCES", Open(s.InOutside("secret"), "rdonly", "--chdir", s.Outside, "--deny", "secret"));
        Assert.Equal("ok", Open(s.InOutside("secret"), "rdonly", "--deny", s.InOutside("missing")));
    }

    [Fact]
    public void DeniedDirectoryHidesFilesAndProgramsButNotTheRestOfTheSystem()
    {
        using var s = Seeded();
        string tool = s.InOutside("true");
        File.Copy("/bin/true", tool);
        File.SetUnixFileMode(tool, (UnixFileMode)0x1ED);
        Assert.Equal(0, f.Run("--", tool).ExitCode);

        string[] deny = ["--deny", s.Outside];
        Assert.Equal("EACCES", Open(s.InOutside("plain"), "rdonly", deny));
        var run = f.Run([.. deny, "--", tool]);
        Assert.Equal(126, run.ExitCode);
        Assert.Contains("Permission denied", run.Stderr);

        var around = f.Run([.. deny, "--", "sh", "-c", $"ls {s.Outside} && ls / >/dev/null && cat {s.InWorkspace("f")}"]);
        Assert.Equal(0, around.ExitCode);
        Assert.Equal("plain\nsecret\ntrue\nw", around.Stdout);
    }

    [Fact]
    public void ReadOnlyPathInsideADeniedDirectoryIsReadableButADenyBelowItHolds()
    {
        using var s = Seeded();
        File.WriteAllText(s.InWorkspace("hidden"), "hidden");
        string[] options = ["--deny", s.Root, "--ro", s.Workspace, "--deny", s.InWorkspace("hidden")];

        Assert.Equal("EACCES", Open(s.InWorkspace("f"), "rdonly", "--deny", s.Root));
        Assert.Equal("w", f.Run([.. options, "--", "cat", s.InWorkspace("f")]).Stdout);
        Assert.Equal("EACCES", Open(s.InOutside("plain"), "rdonly", options));
        Assert.Equal("EACCES", Open(s.InWorkspace("hidden"), "rdonly", options));
        // --ro grants no write.
        Assert.Equal("EACCES", Open(s.InWorkspace("f"), "wronly", options));
    }

    [Fact]
    public void WritableRootInsideADeniedDirectoryIsWritableAndReadable()
    {
        using var s = Seeded();
        string[] options = ["--mode", "workspace-write", "--deny", s.Root, "--rw", s.Workspace];
        var r = f.Run([.. options, "--", "sh", "-c", $"echo new > {s.InWorkspace("n")} && cat {s.InWorkspace("n")} {s.InWorkspace("f")}"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("new\nw", r.Stdout);
        Assert.Equal("EACCES", Open(s.InOutside("plain"), "rdonly", options));
    }

    [Fact]
    public void DeniedFileInsideAWritableRootIsNotReadable()
    {
        using var s = Seeded();
        File.WriteAllText(s.InWorkspace(".env"), "TOKEN=1");
        string sub = Directory.CreateDirectory(s.InWorkspace("sub")).FullName;
        string[] rw = ["--mode", "workspace-write", "--rw", s.Workspace];
        Assert.Equal("ok", Open(s.InWorkspace(".env"), "rdonly", rw));

        string[] options = [.. rw, "--deny", s.InWorkspace(".env")];
        Assert.Equal("EACCES", Open(s.InWorkspace(".env"), "rdonly", options));
        Assert.Equal("EACCES", Open(s.InWorkspace(".env"), "rdwr", options));
        // Moving it into a readable folder of the root is refused (Landlock: a move may not gain access).
        var moved = f.Run([.. options, "--", "mv", s.InWorkspace(".env"), sub]);
        Assert.NotEqual(0, moved.ExitCode);
        Assert.Equal("TOKEN=1", File.ReadAllText(s.InWorkspace(".env")));
        // The rest of the root is as usual.
        var rest = f.Run([.. options, "--", "sh", "-c", $"cat {s.InWorkspace("f")} && echo x > {sub}/g && cat {sub}/g"]);
        Assert.Equal(0, rest.ExitCode);
        Assert.Equal("wx\n", rest.Stdout);
    }

    [Fact]
    public void SymlinksDoNotReopenADeniedDirectory()
    {
        using var s = Seeded();
        // Entries of an enumerated ancestor (Root) that point into the denied folder and back at Root,
        // and a link from an unrelated folder.
        File.CreateSymbolicLink(Path.Combine(s.Root, "alias"), s.Outside);
        File.CreateSymbolicLink(Path.Combine(s.Root, "back"), s.Root);
        File.CreateSymbolicLink(s.InWorkspace("link"), s.Outside);
        string[] paths = [s.InOutside("plain"), Path.Combine(s.Root, "alias", "plain"),
            Path.Combine(s.Root, "back", "out", "plain"), Path.Combine(s.Workspace, "link", "plain")];

        foreach (string path in paths)
        {
            Assert.Equal("ok", Open(path, "rdonly"));
            Assert.Equal("EACCES", Open(path, "rdonly", "--deny", s.Outside));
            // A --deny given through a symlink denies its target.
            Assert.Equal("EACCES", Open(path, "rdonly", "--deny", Path.Combine(s.Root, "alias")));
        }
        Assert.Equal("w", f.Run("--deny", s.Outside, "--", "cat", Path.Combine(s.Root, "back", "ws", "f")).Stdout);
    }

    [Fact]
    public void FifoInADeniedDirectoryCannotBeOpenedForReadingOrWriting()
    {
        using var s = Seeded();
        string fifo = s.InOutside("fifo");
        Assert.Equal(0, ProcessRunner.Run("mkfifo", [fifo]).ExitCode);
        // Without --deny the reader side opens (a writer is refused by the read-only policy anyway).
        Assert.Equal("ok", f.Run("--", f.TryIt, "open", fifo, "rdonly", "nonblock").Stdout.Trim());

        string[] deny = ["--mode", "workspace-write", "--rw", s.Workspace, "--deny", s.Outside, "--"];
        Assert.Equal("EACCES", f.Run([.. deny, f.TryIt, "open", fifo, "rdonly", "nonblock"]).Stdout.Trim());
        Assert.Equal("EACCES", f.Run([.. deny, f.TryIt, "open", fifo, "wronly", "nonblock"]).Stdout.Trim());
    }

    [Fact]
    public void DenyDevHidesTheTerminalButKeepsTheHarmlessDevices()
    {
        using var pty = PseudoTerminal.Open();
        Assert.Equal("ok", Open(pty.Name, "rdwr"));
        Assert.Equal("ok", Open("/dev/ptmx", "rdwr"));
        Assert.Equal("ENXIO", Open("/dev/tty", "rdwr")); // reached the driver: no controlling terminal

        string[] deny = ["--deny", "/dev"];
        Assert.Equal("EACCES", Open(pty.Name, "rdwr", deny));
        Assert.Equal("EACCES", Open("/dev/ptmx", "rdwr", deny));
        Assert.Equal("EACCES", Open("/dev/tty", "rdwr", deny));
        foreach (string device in new[] { "/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom" })
            Assert.Equal("ok", Open(device, "rdwr", deny));
        var r = f.Run([.. deny, "--", "sh", "-c", "echo x > /dev/null && head -c 4 /dev/zero | wc -c && ls /dev/pts >/dev/null"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("4", r.Stdout.Trim());

        // Denying one terminal keeps the others.
        Assert.Equal("EACCES", Open(pty.Name, "rdwr", "--deny", pty.Name));
        Assert.Equal("ok", Open("/dev/ptmx", "rdwr", "--deny", pty.Name));
    }

    /// <summary>A pseudo-terminal pair held open by the test; <see cref="Name"/> is the /dev/pts path.</summary>
    private sealed class PseudoTerminal : IDisposable
    {
        private const int O_RDWR = 2, O_NOCTTY = 0x100;
        private readonly int _master;

        public string Name { get; }

        private PseudoTerminal(int master, string name)
        {
            _master = master;
            Name = name;
        }

        public static PseudoTerminal Open()
        {
            int master = posix_openpt(O_RDWR | O_NOCTTY);
            if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0)
                throw new InvalidOperationException($"no pseudo-terminal: errno {Marshal.GetLastPInvokeError()}");
            var buffer = new byte[128];
            if (ptsname_r(master, buffer, (nuint)buffer.Length) != 0) throw new InvalidOperationException("ptsname_r failed");
            return new PseudoTerminal(master, System.Text.Encoding.ASCII.GetString(buffer, 0, Array.IndexOf(buffer, (byte)0)));
        }

        public void Dispose() => close(_master);

        [DllImport("libc", SetLastError = true)] private static extern int posix_openpt(int flags);
        [DllImport("libc", SetLastError = true)] private static extern int grantpt(int fd);
        [DllImport("libc", SetLastError = true)] private static extern int unlockpt(int fd);
        [DllImport("libc")] private static extern int ptsname_r(int fd, [Out] byte[] buffer, nuint length);
        [DllImport("libc")] private static extern int close(int fd);
    }
}
