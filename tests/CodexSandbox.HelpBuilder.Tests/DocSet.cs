using System.Text.RegularExpressions;

namespace CodexSandbox.HelpBuilder.Tests;

/// <summary>
/// A private copy of TestData/en-US in a temp folder that a test may edit, plus the tool's run result.
/// </summary>
internal sealed class DocSet : IDisposable
{
    public static string TestData => Path.Combine(AppContext.BaseDirectory, "TestData");

    public DocSet()
    {
        Root = Path.Combine(Path.GetTempPath(), "hb-tests-" + Guid.NewGuid().ToString("N"));
        Docs = Path.Combine(Root, "docs", "en-US");
        Output = Path.Combine(Root, "out", "en-US");
        Directory.CreateDirectory(Docs);
        foreach (var file in Directory.GetFiles(Path.Combine(TestData, "en-US")))
            File.Copy(file, Path.Combine(Docs, Path.GetFileName(file)));
    }

    public string Root { get; }

    public string Docs { get; }

    public string Output { get; }

    public string PagePath(string file) => Path.Combine(Docs, file);

    public string Read(string file) => File.ReadAllText(PagePath(file));

    public void Write(string file, string text) => File.WriteAllText(PagePath(file), text);

    /// <summary>Replaces text in a page; fails loudly if the test's anchor text is not there.</summary>
    public void Edit(string file, string find, string replace)
    {
        var text = Read(file);
        Assert.Contains(find, text);
        Write(file, text.Replace(find, replace, StringComparison.Ordinal));
    }

    /// <summary>1-based line of the first line containing <paramref name="snippet"/> in a page.</summary>
    public int LineOf(string file, string snippet)
    {
        var lines = Read(file).Split('\n');
        var index = Array.FindIndex(lines, l => l.Contains(snippet, StringComparison.Ordinal));
        Assert.True(index >= 0, $"'{snippet}' not in {file}");
        return index + 1;
    }

    public RunResult Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = HelpBuilderCli.Run(args, stdout, stderr);
        return new RunResult(code, stdout.ToString(), stderr.ToString());
    }

    public RunResult Build(params string[] extra) => Run([Docs, Output, .. extra]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp folder left behind must not fail a test
        }
    }

    internal sealed record RunResult(int ExitCode, string Stdout, string Stderr)
    {
        public string[] ErrorLines => Regex.Split(Stderr.TrimEnd(), "\r?\n");
    }
}
