using System.Reflection;
using System.Text;
using CodexSandbox.Launcher.Cli;
using CodexSandbox.LauncherContract;

namespace CodexSandbox.Launcher.Tests.Cli;

/// <summary>The parser reads exactly the contract's spellings (LauncherContract, also compiled into the engine, which
/// writes them); tested in-process, without a kernel.</summary>
public sealed class ArgumentParserTests
{
    private static LaunchOptions Parse(params string[] args) => ArgumentParser.Parse(args.Select(Encoding.UTF8.GetBytes).ToList());

    private static IEnumerable<string> OptionNames() =>
        typeof(LauncherOption).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!)
            .Where(n => n != LauncherOption.EndOfOptions);

    [Fact]
    public void EveryModeSpellingParsesToItsMode()
    {
        foreach (var mode in LauncherValue.SandboxModes)
        {
            var o = Parse(LauncherOption.Mode, LauncherValue.Spell(mode), "--", "true");
            Assert.Equal(mode, o.Mode);
        }
        foreach (var network in LauncherValue.NetworkModes)
        {
            Assert.Equal(network, Parse($"{LauncherOption.Network}={LauncherValue.Spell(network)}", "true").Network);
        }
        Assert.Equal(Enum.GetValues<LauncherSandboxMode>(), LauncherValue.SandboxModes);
        Assert.Equal(Enum.GetValues<LauncherNetworkMode>(), LauncherValue.NetworkModes);
    }

    [Theory]
    [InlineData("--network", "proxy")]      // the spelling before the contract: one word per mode now, the engine's
    [InlineData("--network", "Allowlist")]
    [InlineData("--mode", "readonly")]
    public void OtherSpellingsAreUsageErrors(string option, string value)
    {
        var e = Assert.Throws<LauncherException>(() => Parse(option, value, "--", "true"));
        Assert.Equal(LaunchErrorKind.Usage, e.Kind);
        Assert.Equal(125, e.ExitCode);
        string message = Encoding.UTF8.GetString(e.Utf8Message);
        Assert.StartsWith(option + ": expected ", message);
        Assert.Contains(option == LauncherOption.Mode ? LauncherValue.Spell(LauncherSandboxMode.WorkspaceWrite) : LauncherValue.Spell(LauncherNetworkMode.Allowlist), message);
    }

    [Fact]
    public void AReadablePathNeedsTheReadLimit()
    {
        var o = Parse(LauncherOption.ReadLimit, LauncherOption.ReadablePath, "/usr", $"{LauncherOption.ReadablePath}=/ws", "--", "true");
        Assert.True(o.ReadLimit);
        Assert.Equal(["/usr", "/ws"], o.ReadablePaths.Select(Encoding.UTF8.GetString));
        Assert.False(Parse("--", "true").ReadLimit);
        var e = Assert.Throws<LauncherException>(() => Parse(LauncherOption.ReadablePath, "/usr", "--", "true"));
        Assert.Equal(LaunchErrorKind.Usage, e.Kind);
        Assert.Equal("--readable needs --read-limit", Encoding.UTF8.GetString(e.Utf8Message));
        Assert.Throws<LauncherException>(() => Parse($"{LauncherOption.ReadLimit}=1", "--", "true"));
    }

    [Fact]
    public void EveryOptionOfTheContractIsKnown()
    {
        foreach (var name in OptionNames())
        {
            var e = Record.Exception(() => Parse(name, "x"));
            // A value or a missing program may be wrong, but the name itself is never unknown.
            if (e is LauncherException le) Assert.DoesNotContain("unknown option", Encoding.UTF8.GetString(le.Utf8Message));
        }
    }

    [Fact]
    public void TheHelpTextNamesEveryOptionAndValue()
    {
        string help = Encoding.UTF8.GetString(HelpText.Utf8);
        foreach (var name in OptionNames()) Assert.Contains(name, help);
        Assert.Contains(string.Join('|', LauncherValue.SandboxModes.Select(LauncherValue.Spell)), help);
        Assert.Contains(string.Join('|', LauncherValue.NetworkModes.Select(LauncherValue.Spell)), help);
        foreach (var kind in Enum.GetValues<LaunchErrorKind>()) Assert.Contains(LauncherValue.Spell(kind), help);
    }

    [Theory]
    [InlineData(new[] { "--status-fd", "7", "--", "true" }, 7, new[] { 0, 1 })]
    [InlineData(new[] { "--mode", "read-only", "--status-fd=12", "--supervise", "true" }, 12, new[] { 2, 3 })]
    public void TheStatusDescriptorIsParsedAndKeptFromTheSupervisedCopy(string[] args, int fd, int[] own)
    {
        var o = Parse(args);
        Assert.Equal(fd, o.StatusFd);
        Assert.Equal(own, o.OwnArgumentIndexes);
    }

    [Theory]
    [InlineData("0"), InlineData("2"), InlineData("-1"), InlineData("x"), InlineData("2147483648")]
    public void TheStatusDescriptorMustBeAboveStderr(string value)
    {
        var e = Assert.Throws<LauncherException>(() => Parse(LauncherOption.StatusFd, value, "--", "true"));
        Assert.Equal(LaunchErrorKind.Usage, e.Kind);
    }

    [Fact]
    public void AStatusDescriptorBeforeABadArgumentIsStillKnown()
    {
        // Main reports the usage error on it, so the engine (which passes --status-fd first) always gets a record.
        var options = new LaunchOptions();
        var e = Assert.Throws<LauncherException>(() => ArgumentParser.Parse([.. new[] { "--status-fd", "3", "--bogus" }.Select(Encoding.UTF8.GetBytes)], options));
        Assert.Equal(LaunchErrorKind.Usage, e.Kind);
        Assert.Equal(3, options.StatusFd);
    }

    [Fact]
    public void ExitCodesFollowTheKind()
    {
        Assert.Equal(127, new LauncherException(LaunchErrorKind.ProgramNotFound, []).ExitCode);
        Assert.Equal(126, new LauncherException(LaunchErrorKind.CannotExecute, []).ExitCode);
        foreach (var kind in Enum.GetValues<LaunchErrorKind>().Except([LaunchErrorKind.ProgramNotFound, LaunchErrorKind.CannotExecute]))
            Assert.Equal(LauncherExitCode.LauncherError, new LauncherException(kind, []).ExitCode);
    }
}
