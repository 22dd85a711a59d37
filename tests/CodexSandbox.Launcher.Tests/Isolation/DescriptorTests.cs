namespace CodexSandbox.Launcher.Tests.Isolation;

/// <summary>Only stdin, stdout and stderr reach the program: a descriptor the caller leaked without
/// FD_CLOEXEC (attack report E6) is closed before exec.</summary>
[Collection(LauncherCollection.Name)]
public sealed class DescriptorTests(LauncherFixture f)
{
    [Theory]
    [InlineData("7")]
    [InlineData("60", "--open-files", "16")] // a number above the limit the launcher itself lowers
    public void LeakedDescriptorIsClosedBeforeExec(string fd, params string[] options)
    {
        using var s = new Scratch();
        string log = s.InOutside("log.txt");
        File.WriteAllText(log, "");
        string inner = $"echo via-fd >&{fd}; ls /proc/self/fd";
        // bash inside and out (dash only redirects descriptors 0-9). $0 is the launcher, or env for
        // the control run; the remaining words are its options.
        string outer = $"exec {fd}>>'{log}'; exec \"$0\" \"$@\" /bin/bash -c '{inner}'";

        var control = ProcessRunner.Run("/bin/bash", ["-c", outer, "env"]);
        Assert.Contains(fd, Lines(control.Stdout));
        Assert.Equal("via-fd\n", File.ReadAllText(log)); // precondition: the caller really leaks it
        File.WriteAllText(log, "");

        var r = ProcessRunner.Run("/bin/bash", ["-c", outer, f.Launcher, .. options, "--"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Bad file descriptor", r.Stderr);
        Assert.Equal("", File.ReadAllText(log));
        // 0, 1, 2 and the descriptor ls itself opened to read the directory.
        Assert.Equal(["0", "1", "2", "3"], Lines(r.Stdout));
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
