using System.Management.Automation;
using CodexSandbox.Engine.Environment;

namespace CodexSandbox.Engine.Tests.Environment;

public class WildcardMatcherTests
{
    // Environment patterns (Codex's): only * and ?; brackets and backticks are ordinary characters.
    [Theory]
    [InlineData("*KEY*", "openai_api_key", true)]
    [InlineData("a?c", "ABC", true)]
    [InlineData("a*", "a*b", true)]
    [InlineData("*", "", true)]
    [InlineData("", "", true)]
    [InlineData("", "x", false)]
    [InlineData("x", "", false)]
    [InlineData("AB", "ABC", false)]
    [InlineData("BC", "ABC", false)]
    [InlineData("VAR[1]", "var[1]", true)]
    [InlineData("VAR[1]", "VAR1", false)]
    [InlineData("A`B", "a`b", true)]
    [InlineData("A`B", "AB", false)]
    [InlineData("*_TOKEN", "GH_TOKEN\n", false)]
    [InlineData("A**B", "AxyzB", true)]
    [InlineData("*A*A", "AAAXA", true)]
    public void GlobSyntaxKnowsOnlyStarAndQuestionMark(string pattern, string text, bool expected)
    {
        Assert.Equal(expected, new WildcardMatcher(pattern, WildcardSyntax.Glob).IsMatch(text));
        Assert.Equal(expected, WildcardMatcher.IsMatch(pattern, text));
    }

    // Audit queries: PowerShell's -like. Every row is also checked against PowerShell's own WildcardPattern below.
    public static TheoryData<string, string, bool> PowerShellCases => new()
    {
        { "git push*", "GIT PUSH origin", true },
        { "git ?ush", "git push", true },
        { "[a-c]at", "Bat", true },
        { "[a-c]at", "dat", false },
        { "[abc]", "ab", false },
        { "[^a]", "b", false },
        { "[^a]", "^", true },
        { "[-a]", "-", true },
        { "[ab-]", "-", true },
        { "[a-c-e]", "c", true },
        { "[a-c-e]", "d", false },
        { "[a-c-e]", "e", true },
        { "[a]]", "a]", true },
        { "[`]]", "]", true },
        { "`*", "*", true },
        { "`*", "x", false },
        { "a`?c", "a?c", true },
        { "a`?c", "abc", false },
        { "a`", "a`", true },
        { "abc", "abc\n", false },
        { "*", "", true },
        { "a*[0-9]", "a-x-7", true },
        { "a*[0-9]", "a-x-y", false },
        { "a.c", "abc", false },
    };

    [Theory]
    [MemberData(nameof(PowerShellCases))]
    public void PowerShellSyntaxMatchesLikePowerShell(string pattern, string text, bool expected)
    {
        Assert.Equal(expected, new WildcardMatcher(pattern, WildcardSyntax.PowerShell).IsMatch(text));
        Assert.Equal(expected, WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase).IsMatch(text));
    }

    // Where PowerShell throws on a malformed pattern, a query does not fail: an unclosed or empty set is literal text,
    // and a reversed range matches nothing.
    [Theory]
    [InlineData("[ab", "[ab", true)]
    [InlineData("[]", "[]", true)]
    [InlineData("x[c-a]", "xb", false)]
    public void MalformedSetsDoNotThrow(string pattern, string text, bool expected) =>
        Assert.Equal(expected, new WildcardMatcher(pattern, WildcardSyntax.PowerShell).IsMatch(text));

    [Fact]
    public void AnyOfSeveralPatternsMayMatchAndNullNeverDoes()
    {
        WildcardMatcher[] any = [new("rm*", WildcardSyntax.PowerShell), new("CURL ?", WildcardSyntax.PowerShell)];
        Assert.True(WildcardMatcher.IsMatchAny(any, "curl x"));
        Assert.True(WildcardMatcher.IsMatchAny(any, "rm -rf /"));
        Assert.False(WildcardMatcher.IsMatchAny(any, "git status"));
        Assert.False(WildcardMatcher.IsMatchAny(any, null));
    }
}
