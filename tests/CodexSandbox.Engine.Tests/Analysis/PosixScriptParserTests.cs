using CodexSandbox.Engine.Analysis;
using CsCheck;

namespace CodexSandbox.Engine.Tests.Analysis;

public class PosixScriptParserTests
{
    private static string[][]? Plain(string script)
    {
        var commands = new List<string[]>();
        return PosixScriptParser.TryParsePlainCommands(script, commands) ? commands.ToArray() : null;
    }

    [Theory]
    [InlineData("ls -la", new[] { "ls|-la" })]
    [InlineData("cat a | wc -l", new[] { "cat|a", "wc|-l" })]
    [InlineData("git status && git diff || echo no; pwd", new[] { "git|status", "git|diff", "echo|no", "pwd" })]
    [InlineData("echo 'a b' \"c d\"", new[] { "echo|a b|c d" })]
    [InlineData("rg -g\"*.py\" foo", new[] { "rg|-g*.py|foo" })]
    [InlineData("echo a\\ b", new[] { "echo|a b" })]
    [InlineData("ls\nwc -l\n", new[] { "ls", "wc|-l" })]
    [InlineData("ls &&\n  pwd", new[] { "ls", "pwd" })]
    [InlineData("ls;", new[] { "ls" })]
    [InlineData("echo \"it's \\\"q\\\"\"", new[] { "echo|it's \"q\"" })]
    [InlineData("echo a=b", new[] { "echo|a=b" })]
    [InlineData("'FOO=bar' x", new[] { "FOO=bar|x" })]
    [InlineData("echo ''", new[] { "echo|" })]
    public void AcceptsWordOnlyScripts(string script, string[] expected)
    {
        var commands = Plain(script);
        Assert.NotNull(commands);
        Assert.Equal(expected, commands!.Select(c => string.Join('|', c)).ToArray());
    }

    [Theory]
    [InlineData("echo $HOME")]
    [InlineData("echo ${HOME}")]
    [InlineData("echo \"$HOME\"")]
    [InlineData("echo $(rm -rf /)")]
    [InlineData("echo `id`")]
    [InlineData("ls > out.txt")]
    [InlineData("ls 2>/dev/null")]
    [InlineData("cat < in")]
    [InlineData("(ls)")]
    [InlineData("ls &")]
    [InlineData("ls & pwd")]
    [InlineData("FOO=bar ls")]
    [InlineData("ls &&")]
    [InlineData("&& ls")]
    [InlineData("| ls")]
    [InlineData("ls | | wc")]
    [InlineData("ls ;; pwd")]
    [InlineData("; ls")]
    [InlineData("ls |& cat")]
    [InlineData("cat <<EOF\nhi\nEOF")]
    [InlineData("cat <(ls)")]
    [InlineData("if true; then ls; fi")]
    [InlineData("for x in a; do ls; done")]
    [InlineData("{ ls; }")]
    [InlineData("! ls")]
    [InlineData("[ -f x ]")]
    [InlineData("ls # comment")]
    [InlineData("echo 'unterminated")]
    [InlineData("echo \"unterminated")]
    [InlineData("")]
    [InlineData("   \n ")]
    public void RejectsEverythingElse(string script) => Assert.Null(Plain(script));

    [Fact]
    public void HeredocGivesTheSingleCommand()
    {
        Assert.Equal(["python3"], PosixScriptParser.TryParseHeredocCommand("python3 <<'PY'\nprint(1)\nPY\n")!);
        Assert.Equal(["cat"], PosixScriptParser.TryParseHeredocCommand("cat <<EOF\nhello $USER\nEOF")!);
        Assert.Equal(["python3"], PosixScriptParser.TryParseHeredocCommand("python3 << PY\nprint('hello')\nPY")!);
        Assert.Equal(["sh", "-s"], PosixScriptParser.TryParseHeredocCommand("sh -s <<-EOF\n\techo hi\n\tEOF\n")!);
    }

    [Theory]
    [InlineData("ls > out.txt")] // redirects only, no heredoc
    [InlineData("cat <<EOF\na\nEOF\nls")] // several commands
    [InlineData("cat <<EOF | wc\na\nEOF")] // pipeline
    [InlineData("cat <<< \"$(id)\"")] // here-string with substitution
    [InlineData("python3 <<EOF\n$(rm -rf /)\nEOF")] // unquoted delimiter: the body runs substitutions
    [InlineData("$PY <<EOF\nx\nEOF")]
    // Codex #20113 (bash.rs): an extra file redirect, or a variable assignment, is not reduced to the command's prefix
    [InlineData("cat <<EOF > out.txt\nhello\nEOF")]
    [InlineData("cat <<'EOF' > out.txt\nhello\nEOF")]
    [InlineData("python3 <<'PY' > /tmp/out.txt\nprint('hello')\nPY")]
    [InlineData("cat > out.txt <<'EOF'\nhello\nEOF")]
    [InlineData("cat <<'EOF' >> out.txt\nhello\nEOF")]
    [InlineData("cat <<'EOF' 2>err.txt\nhello\nEOF")]
    [InlineData("cat <<'EOF' 2>&1\nhello\nEOF")]
    [InlineData("cat <<'EOF' < other.txt\nhello\nEOF")]
    [InlineData("PATH=/tmp/evil:$PATH cat <<'EOF'\nhello\nEOF")]
    [InlineData("PATH=/tmp/evil cat <<'EOF'\nhello\nEOF")]
    [InlineData("LD_PRELOAD=./x.so python3 <<'PY'\nprint(1)\nPY")]
    [InlineData("python3 <<'PY'\nprint('hello')\nPY\necho done")] // several commands
    [InlineData("echo hello > /tmp/out.txt")]                          // a redirect and no heredoc
    [InlineData("echo hello > /tmp/out.txt && cat /tmp/out.txt")]
    [InlineData("python3 <<< \"$(rm -rf /)\"")]
    [InlineData("echo $((1<<2))")]
    [InlineData("python3 $((1<<2)) <<'PY'\nprint('hello')\nPY")]
    public void HeredocFallbackRejects(string script) => Assert.Null(PosixScriptParser.TryParseHeredocCommand(script));

    [Fact]
    public void LenientSplitFindsCommandsInsideConstructs()
    {
        var segments = PosixScriptParser.SplitLenient("if true; then echo $(rm -rf /) > x; fi & FOO=1 sudo ls")
            .Select(s => string.Join(' ', s)).ToList();
        Assert.Contains("rm -rf /", segments);
        Assert.Contains("sudo ls", segments);
        Assert.Contains("echo $(rm -rf /)", segments);
        var bodies = PosixScriptParser.SplitLenient("bash <<EOF\nrm -rf /\nEOF\n").Select(s => string.Join(' ', s)).ToList();
        Assert.Contains("rm -rf /", bodies);
    }

    [Fact]
    public void NeverThrowsOnRandomInput()
    {
        var chars = Gen.Char["ab $'\"\\|&;()<>`{}#=\n\t-*!~"];
        chars.Array[0, 40].Select(a => new string(a)).Sample(s =>
        {
            var commands = new List<string[]>();
            PosixScriptParser.TryParsePlainCommands(s, commands);
            PosixScriptParser.TryParseHeredocCommand(s);
            PosixScriptParser.SplitLenient(s);
            CommandAnalyzer.Analyze(s, ShellKind.Posix);
        }, iter: 20000);
        Gen.String.Sample(s =>
        {
            PosixScriptParser.TryParsePlainCommands(s, new List<string[]>());
            PosixScriptParser.SplitLenient(s);
        }, iter: 5000);
    }

    [Fact]
    public void PlainWordsRoundTrip()
    {
        var word = Gen.Char["abcxyzABC0129-_./:,+%@"].Array[1, 10].Select(a => new string(a));
        word.List[1, 8].Sample(words =>
        {
            var parsed = Plain(string.Join(' ', words));
            Assert.NotNull(parsed);
            var single = Assert.Single(parsed!);
            Assert.Equal(words, single);
        }, iter: 5000);
    }

    [Fact]
    public void QuotedWordsRoundTripThroughShellQuoting()
    {
        var word = Gen.Char["ab $'\"\\|&;()<>`{}#=*!~\t"].Array[0, 8].Select(a => new string(a));
        word.List[1, 6].Sample(words =>
        {
            var script = ShellWords.Join(words);
            var parsed = Plain(script);
            // a leading word that looks like a keyword or assignment is quoted, so it always parses
            Assert.NotNull(parsed);
            Assert.Equal(words, Assert.Single(parsed!));
        }, iter: 5000);
    }
}
