using CodexSandbox.Engine.Backends.Linux;
using CodexSandbox.LauncherContract;

namespace CodexSandbox.Engine.Tests.Backends.Linux;

/// <summary>The engine's reader of the launcher's records (the launcher's tests check it against real runs).</summary>
public class LauncherStatusTests
{
    private const string Applied = """
        format=1
        supervisor=1
        format=1
        rlimit_core=0
        rlimit_cpu=7
        no_new_privs=1
        capabilities=1
        bounding_set=0
        new_session=1
        landlock=1
        landlock_abi=6
        landlock_rules=42
        landlock_network=1
        landlock_scope=1
        seccomp=1
        seccomp_network=allowlist
        seccomp_metadata=1
        no_unix_sockets=1
        descriptors=1
        outcome=exec

        """;

    [Fact]
    public void AnExecRecordListsWhatWasApplied()
    {
        var s = LauncherStatus.Parse(Applied.ReplaceLineEndings("\n"))!;
        Assert.True(s.Executed);
        Assert.Null(s.Error);
        Assert.True(s.Supervised);
        Assert.True(s.Landlock);
        Assert.Equal(6, s.LandlockAbi);
        Assert.Equal(42, s.LandlockRules);
        Assert.True(s.LandlockNetwork && s.LandlockScope && s.Seccomp && s.SeccompMetadata && s.NoUnixSockets);
        Assert.Equal(LauncherNetworkMode.Allowlist, s.SeccompNetwork);
        Assert.True(s.NoNewPrivileges && s.Capabilities && s.NewSession && s.Descriptors);
        Assert.False(s.BoundingSet);
        Assert.Equal(new Dictionary<string, ulong> { ["core"] = 0, ["cpu"] = 7 }, s.Limits);
    }

    [Fact]
    public void ARefusalCarriesItsKindAndMessage()
    {
        var s = LauncherStatus.Parse("format=1\noutcome=refused\nerror=ProgramNotFound\nmessage=nosuch: command not found\n")!;
        Assert.False(s.Executed);
        Assert.Equal(LaunchErrorKind.ProgramNotFound, s.Error);
        Assert.Equal("nosuch: command not found", s.Message);
    }

    [Fact]
    public void TheLastOutcomeCountsSoAFailedExecIsARefusal()
    {
        var s = LauncherStatus.Parse(Applied.ReplaceLineEndings("\n") + "format=1\noutcome=refused\nerror=CannotExecute\nmessage=x: Permission denied\n")!;
        Assert.False(s.Executed);
        Assert.Equal(LaunchErrorKind.CannotExecute, s.Error);
        Assert.True(s.Landlock); // what was applied stays readable
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("outcome=exec\n")]                  // no format line: not a record
    [InlineData("format=x\noutcome=exec\n")]
    public void TextWithoutARecordIsNull(string? text) => Assert.Null(LauncherStatus.Parse(text));

    [Fact]
    public void ACutOffLineUnknownKeysAndANewerFormatAreTolerated()
    {
        var s = LauncherStatus.Parse("format=2\nfuture_key=yes\nlandlock=1\noutcome=ex")!;
        Assert.True(s.Landlock);
        Assert.False(s.Executed); // the cut-off outcome line is not read
        var unknown = LauncherStatus.Parse("format=1\noutcome=refused\nerror=SomethingNew\n")!;
        Assert.Null(unknown.Error);
        Assert.Equal("SomethingNew", unknown.ErrorName);
    }

    [Fact]
    public void EveryErrorKindIsSpelledAsItsNameAndMapsToTheShellExitCodes()
    {
        foreach (var kind in Enum.GetValues<LaunchErrorKind>())
        {
            Assert.Equal(kind.ToString(), LauncherValue.Spell(kind));
            Assert.Equal(kind, LauncherStatus.Parse($"format=1\noutcome=refused\nerror={LauncherValue.Spell(kind)}\n")!.Error);
        }
        Assert.Equal(127, LauncherExitCode.For(LaunchErrorKind.ProgramNotFound));
        Assert.Equal(126, LauncherExitCode.For(LaunchErrorKind.CannotExecute));
        Assert.Equal(125, LauncherExitCode.For(LaunchErrorKind.LandlockUnavailable));
    }

    [Fact]
    public void TheProbeRecordIsReadTheSameWay()
    {
        var p = LauncherProbe.Parse("format=1\nversion=0.1.0\narch=x86_64\nlandlock_abi=5\nseccomp=1\nseccomp_mode=2\nenforceable=1\n")!;
        Assert.Equal(5, p.LandlockAbi);
        Assert.True(p.Seccomp);
        Assert.True(p.UnderSeccompFilter);
        Assert.True(p.Enforceable);
        Assert.Equal("x86_64", p.Architecture);
        Assert.Null(LauncherProbe.Parse("landlock_abi=5\n"));
    }
}
