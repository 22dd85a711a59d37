using CodexSandbox.Engine.Rules;

namespace CodexSandbox.Engine.Tests.Rules;

public sealed class RuleAmendmentsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("amend-test-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void AppendsOnceAndTheFileStillLoads()
    {
        var file = Path.Combine(_root, "rules", "default.rules");
        Assert.True(RuleAmendments.AppendAllowPrefixRule(file, ["cargo", "test"]));
        Assert.False(RuleAmendments.AppendAllowPrefixRule(file, ["cargo", "test"]));
        Assert.True(RuleAmendments.AppendAllowPrefixRule(file, ["echo", "a \"q\" \\ b"]));
        Assert.Equal("prefix_rule(pattern=[\"cargo\", \"test\"], decision=\"allow\")\n", File.ReadAllLines(file)[0] + "\n");
        var set = RuleSet.Parse(file, File.ReadAllText(file));
        Assert.Equal(2, set.PrefixRules.Count);
        Assert.Single(set.Match(["echo", "a \"q\" \\ b", "more"]));
    }

    [Fact]
    public void AddsANewlineWhenTheFileLacksOne()
    {
        var file = Path.Combine(_root, "x.rules");
        File.WriteAllText(file, "prefix_rule(['ls'])");
        RuleAmendments.AppendAllowPrefixRule(file, ["pwd"]);
        Assert.Equal(2, RuleSet.Parse(file, File.ReadAllText(file)).PrefixRules.Count);
    }

    [Fact]
    public void ConcurrentAppendsAreAllKept()
    {
        var file = Path.Combine(_root, "c.rules");
        Parallel.For(0, 40, i => RuleAmendments.AppendAllowPrefixRule(file, ["tool" + i]));
        Assert.Equal(40, RuleSet.Parse(file, File.ReadAllText(file)).PrefixRules.Count);
    }

    [Fact]
    public void EmptyPrefixIsRefusedAndBannedPrefixesAreKnown()
    {
        Assert.Throws<ArgumentException>(() => RuleAmendments.AppendAllowPrefixRule(Path.Combine(_root, "e.rules"), []));
        Assert.True(RuleAmendments.IsBannedPrefix(["bash", "-lc"]));
        Assert.True(RuleAmendments.IsBannedPrefix(["python3"]));
        Assert.False(RuleAmendments.IsBannedPrefix(["cargo", "test"]));
    }
}
