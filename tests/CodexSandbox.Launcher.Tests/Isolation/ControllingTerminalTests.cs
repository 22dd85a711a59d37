namespace CodexSandbox.Launcher.Tests.Isolation;

/// <summary>--controlling-terminal fails closed: stdin that is no terminal is a launcher error, and the command does not
/// run. (With a pseudo-terminal it is tested through the engine's relay: TerminalRunTests.)</summary>
[Collection(LauncherCollection.Name)]
public sealed class ControllingTerminalTests(LauncherFixture f)
{
    [Fact]
    public void StdinThatIsNoTerminalIsRefused()
    {
        var r = f.Run("--controlling-terminal", "--", "sh", "-c", "echo ran");
        Assert.Equal(125, r.ExitCode);
        Assert.DoesNotContain("ran", r.Stdout);
        Assert.Contains("TIOCSCTTY", r.Stderr);
    }

    [Fact]
    public void TheOptionTakesNoValue()
    {
        var r = f.Run("--controlling-terminal=1", "--", "true");
        Assert.Equal(125, r.ExitCode);
        Assert.Contains("takes no value", r.Stderr);
    }
}
