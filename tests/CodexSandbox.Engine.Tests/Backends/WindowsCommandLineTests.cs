using CodexSandbox.Engine.Backends.Windows;
using CsCheck;

namespace CodexSandbox.Engine.Tests.Backends;

public class WindowsCommandLineTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "\"\"")]
    [InlineData("with space", "\"with space\"")]
    [InlineData("tab\there", "\"tab\there\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData(@"C:\path\", @"C:\path\")]
    [InlineData(@"C:\my path\", "\"C:\\my path\\\\\"")]
    [InlineData(@"a\\b", @"a\\b")]
    [InlineData("a\\\"b", "\"a\\\\\\\"b\"")]
    [InlineData(@"\\server\share dir\\", "\"\\\\server\\share dir\\\\\\\\\"")]
    public void Quotes_arguments(string arg, string quoted) => Assert.Equal(quoted, WindowsCommandLine.QuoteArgument(arg));

    [Fact]
    public void Tricky_argv_survives_the_round_trip()
    {
        string[] argv = [@"C:\Program Files\Tool\tool.exe", "", " ", "a b", "\"", "\\", "\\\\", "ends with \\", "x\\\"y", "\"quoted\"", "tab\t", @"C:\dir\", "-flag=\"v\""];
        var line = WindowsCommandLine.Build(argv);
        Assert.Equal(argv, WindowsCommandLine.Parse(line));
        Assert.StartsWith("\"C:\\Program Files\\Tool\\tool.exe\" \"\" \" \" \"a b\"", line);
    }

    [Fact]
    public void Any_argv_survives_the_round_trip()
    {
        var arg = Gen.Char[" \t\"\\abz"].Array[0, 8].Select(cs => new string(cs));
        var program = Gen.Char[@" \abC:."].Array[1, 8].Select(cs => new string(cs)).Where(p => p.Trim().Length > 0 && p[0] != ' ');
        Gen.Select(program, arg.Array[0, 6]).Sample((p, args) =>
        {
            var argv = new[] { p }.Concat(args).ToArray();
            Assert.Equal(argv, WindowsCommandLine.Parse(WindowsCommandLine.Build(argv)));
        }, iter: 20000);
    }

    [Fact]
    public void Parses_like_CommandLineToArgvW()
    {
        Assert.Equal(["prog", "a b", "c\"d", @"e\\f", "g\\"], WindowsCommandLine.Parse("prog \"a b\" c\\\"d e\\\\f \"g\\\\\""));
        Assert.Equal([@"C:\x y\p.exe", "1"], WindowsCommandLine.Parse("\"C:\\x y\\p.exe\" 1"));
        Assert.Equal(["p", "a\"b"], WindowsCommandLine.Parse("p \"a\"\"b\""));
    }

    [Fact]
    public void Refuses_a_quote_in_the_program_name() =>
        Assert.Throws<ArgumentException>(() => WindowsCommandLine.Build(["a\"b.exe", "x"]));

    [Theory]
    [InlineData("build.cmd", "x & calc")]
    [InlineData("BUILD.BAT", "%PATH%")]
    [InlineData("run.bat", "\"quoted\"")]
    [InlineData("run.bat", "a|b")]
    public void Refuses_cmd_metacharacters_for_batch_files(string program, string arg) =>
        Assert.Throws<ArgumentException>(() => WindowsCommandLine.Build([program, arg]));

    [Fact]
    public void Batch_files_with_plain_arguments_are_fine() =>
        Assert.Equal("build.cmd \"a b\" c", WindowsCommandLine.Build(["build.cmd", "a b", "c"]));
}
