using System.Diagnostics;
using System.Globalization;

namespace CodexSandbox.Launcher.Tests.Isolation;

/// <summary>--supervise: nothing the command starts outlives it (daemons, double forks, fork storms),
/// the status passes through, the supervisor takes the tree down when it is signalled or its parent
/// dies, and the sandboxed command cannot signal it. Each lingering process is found by a unique
/// marker in its command line (a per-test symlink to sleep).</summary>
[Collection(LauncherCollection.Name)]
public sealed class SuperviseTests(LauncherFixture f)
{
    private const string Quiet = "</dev/null >/dev/null 2>&1";

    /// <summary>A symlink to sleep whose name is unique to the test, and that name.</summary>
    private static (string Sleeper, string Marker) Sleeper(Scratch s)
    {
        string marker = "cs-sup-" + Guid.NewGuid().ToString("N")[..12];
        string link = Path.Combine(s.Root, marker);
        File.CreateSymbolicLink(link, "/bin/sleep");
        return (link, marker);
    }

    /// <summary>Live processes whose program (argv[0]) is the marked sleeper (zombies have no command line).</summary>
    private static List<int> ProcessesWith(string marker)
    {
        var found = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0')[0].EndsWith("/" + marker, StringComparison.Ordinal)) found.Add(pid);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return found;
    }

    private static bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > timeout) return false;
            Thread.Sleep(20);
        }
        return true;
    }

    private static void KillAll(string marker)
    {
        foreach (int pid in ProcessesWith(marker))
        {
            try { Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { } catch (InvalidOperationException) { }
        }
    }

    [Fact]
    public void DaemonsAndDoubleForksDoNotOutliveTheCommand()
    {
        using var s = new Scratch();
        var (sleeper, marker) = Sleeper(s);
        // a setsid daemon, a double fork, a triple fork; all detached from the command's output
        string script = $"setsid {sleeper} 30 {Quiet} & ( {sleeper} 31 {Quiet} & ) ; ( ( {sleeper} 32 {Quiet} & ) & ) ; sleep 0.2; echo started";
        try
        {
            // Without the supervisor they survive the run (the E8 finding).
            var control = f.Run("--", "sh", "-c", script);
            Assert.Equal("started\n", control.Stdout);
            Assert.Equal(3, ProcessesWith(marker).Count);
            KillAll(marker);
            Assert.True(WaitUntil(() => ProcessesWith(marker).Count == 0, TimeSpan.FromSeconds(5)));

            var sw = Stopwatch.StartNew();
            var r = f.Run("--supervise", "--", "sh", "-c", script);
            Assert.Equal(0, r.ExitCode);
            Assert.Equal("started\n", r.Stdout);
            Assert.Equal("", r.Stderr);
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"took {sw.Elapsed}");
            Assert.Empty(ProcessesWith(marker));
        }
        finally
        {
            KillAll(marker);
        }
    }

    [Fact]
    public void DaemonHoldingStdoutDoesNotKeepTheCallerWaiting()
    {
        using var s = new Scratch();
        var (sleeper, marker) = Sleeper(s);
        try
        {
            // The daemon keeps the caller's stdout pipe open; the caller only sees end of output
            // when the supervisor has killed it.
            var sw = Stopwatch.StartNew();
            var r = f.Run("--supervise", "--", "sh", "-c", $"setsid {sleeper} 30 & echo started");
            Assert.Equal(0, r.ExitCode);
            Assert.Equal("started\n", r.Stdout);
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"took {sw.Elapsed}");
            Assert.Empty(ProcessesWith(marker));
        }
        finally
        {
            KillAll(marker);
        }
    }

    [Fact]
    public void AForkStormIsStoppedToo()
    {
        using var s = new Scratch();
        var (sleeper, marker) = Sleeper(s);
        // A background loop that keeps producing orphans (each ( X & ) reparents X to the subreaper).
        string script = $"( while :; do ( {sleeper} 30 {Quiet} & ) ; done ) {Quiet} & sleep 0.5; echo started";
        try
        {
            var sw = Stopwatch.StartNew();
            var r = f.Run("--supervise", "--", "sh", "-c", script);
            Assert.True(r.ExitCode == 0, r.Stderr);
            Assert.Equal("started\n", r.Stdout);
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(15), $"took {sw.Elapsed}");
            Assert.Empty(ProcessesWith(marker));
        }
        finally
        {
            KillAll(marker);
        }
    }

    [Theory]
    [InlineData("exit 0", 0), InlineData("exit 1", 1), InlineData("exit 42", 42), InlineData("kill -9 $$", 137), InlineData("kill -TERM $$", 143)]
    public void StatusPassesThrough(string script, int expected)
    {
        var r = f.Run("--supervise", "--", "sh", "-c", script);
        Assert.Equal(expected, r.ExitCode);
        Assert.Equal("", r.Stderr);
    }

    [Fact]
    public void MissingProgramIs127WithTheSameOneLine()
    {
        var r = f.Run("--supervise", "--", "no-such-program-xyz");
        Assert.Equal(127, r.ExitCode);
        Assert.Equal("codex-linux-sandbox: no-such-program-xyz: command not found\n", r.Stderr);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public void CommandIsSandboxedAndGetsOnlyTheStandardDescriptors()
    {
        // fd 7 is open in the caller; the supervised command must not receive it.
        var r = ProcessRunner.Run("sh", ["-c", "exec 7</dev/null; \"$0\" --supervise -- sh -c 'ls /proc/$$/fd; grep -E \"^(NoNewPrivs|Seccomp):\" /proc/$$/status'", f.Launcher]);
        Assert.Equal(0, r.ExitCode);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["0", "1", "2"], lines.Where(l => int.TryParse(l, out _)).ToArray());
        Assert.Matches(@"NoNewPrivs:\s+1", r.Stdout);
        Assert.Matches(@"Seccomp:\s+2", r.Stdout);
    }

    [Theory]
    [InlineData("TERM", 15), InlineData("INT", 2), InlineData("HUP", 1), InlineData("QUIT", 3)]
    public void SignalToTheSupervisorKillsTheWholeTree(string signal, int number)
    {
        using var s = new Scratch();
        var (sleeper, marker) = Sleeper(s);
        // env resets the signal to its default: a signal the caller ignores stays ignored (test runners
        // may start the tests with SIGINT or SIGHUP ignored).
        var psi = new ProcessStartInfo("env") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--default-signal=" + signal, f.Launcher, "--supervise", "--", "sh", "-c", $"setsid {sleeper} 30 {Quiet} & exec {sleeper} 29" })
            psi.ArgumentList.Add(a);
        using var supervisor = Process.Start(psi)!;
        try
        {
            Assert.True(WaitUntil(() => ProcessesWith(marker).Count == 2, TimeSpan.FromSeconds(10)), "the command did not start");
            Assert.Equal(0, ProcessRunner.Run("kill", ["-" + signal, supervisor.Id.ToString(CultureInfo.InvariantCulture)]).ExitCode);
            bool exited = supervisor.WaitForExit(TimeSpan.FromSeconds(10));
            Assert.True(exited, "the supervisor did not exit: " + ProcessRunner.Run("ps", ["-eo", "pid,ppid,stat,wchan:20,cmd"]).Stdout);
            Assert.Equal(128 + number, supervisor.ExitCode);
            Assert.Empty(ProcessesWith(marker));
        }
        finally
        {
            if (!supervisor.HasExited) supervisor.Kill();
            KillAll(marker);
        }
    }

    [Fact]
    public void DeathOfTheCallerKillsTheWholeTree()
    {
        using var s = new Scratch();
        var (sleeper, marker) = Sleeper(s);
        string started = Path.Combine(s.Root, "started");
        // The caller (an sh) starts the supervisor in the background, waits until the command runs,
        // and exits; the supervisor's parent-death signal (SIGTERM) must take the tree down.
        string inner = $"setsid {sleeper} 30 {Quiet} & touch {started}; exec {sleeper} 29";
        var r = ProcessRunner.Run("sh", ["-c",
            $"env --default-signal=TERM \"$0\" --supervise --mode workspace-write --rw {s.Root} -- sh -c '{inner}' {Quiet} & " +
            $"while [ ! -e {started} ]; do sleep 0.05; done; exit 0", f.Launcher]);
        try
        {
            Assert.Equal(0, r.ExitCode);
            Assert.True(WaitUntil(() => ProcessesWith(marker).Count == 0, TimeSpan.FromSeconds(10)),
                "still running: " + string.Join(' ', ProcessesWith(marker)));
        }
        finally
        {
            KillAll(marker);
        }
    }

    [Fact]
    public void CommandCannotKillItsSupervisor()
    {
        // $PPID of the command is the supervisor; Landlock's signal scope (ABI >= 6) refuses it.
        var r = f.Run("--supervise", "--", "sh", "-c", $"exec {f.TryIt} kill $PPID 9");
        Assert.Equal("EPERM", r.Stdout.Trim());
        Assert.Equal(1, r.ExitCode); // reported by the surviving supervisor, not 137
    }

    [Fact]
    public void KillMinusOneReachesNeitherTheSupervisorNorOtherProcessesOfTheUser()
    {
        // Run as a uid no other process uses, so kill(-1) could only ever reach this test's processes.
        string uid = Random.Shared.Next(40000, 60000).ToString(CultureInfo.InvariantCulture);
        string[] asUser = [$"--reuid={uid}", $"--regid={uid}", "--clear-groups"];
        using var victim = Process.Start(new ProcessStartInfo("setpriv", [.. asUser, "sleep", "60"]) { UseShellExecute = false })!;
        try
        {
            Assert.True(WaitUntil(() => File.Exists($"/proc/{victim.Id}/status") &&
                File.ReadAllText($"/proc/{victim.Id}/status").Contains("\nUid:\t" + uid, StringComparison.Ordinal), TimeSpan.FromSeconds(5)));
            var r = ProcessRunner.Run("setpriv", [.. asUser, f.Launcher, "--supervise", "--", f.TryIt, "kill", "-1", "9"]);
            // kill(-1) skips the caller itself and reports success even when every target refused.
            Assert.Equal("ok", r.Stdout.Trim());
            Assert.Equal(0, r.ExitCode); // the supervisor survived to report it
            Assert.False(victim.HasExited);
        }
        finally
        {
            if (!victim.HasExited) victim.Kill();
        }
    }
}
