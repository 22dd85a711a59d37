namespace CodexSandbox.HelpBuilder.Tests;

/// <summary>about_*.help.md becomes the plain text Get-Help prints for about topics.</summary>
public sealed class AboutTopicTests : IDisposable
{
    private readonly DocSet _docs = new();

    public void Dispose() => _docs.Dispose();

    private string BuildAbout()
    {
        var result = _docs.Build();
        Assert.True(result.ExitCode == 0, result.Stderr);
        return File.ReadAllText(Path.Combine(_docs.Output, "about_Sbx.help.txt"));
    }

    [Fact]
    public void SampleAboutPageRendersSectionsIndentedAndWrapped()
    {
        const string expected = """
            TOPIC
                about_Sbx

            SHORT DESCRIPTION
                Explains how Sbx items are stored.

            LONG DESCRIPTION
                Sbx keeps every item in a store. This paragraph is deliberately long so that
                the converter has to wrap it across more than one line of plain text output.

                Modes:

                - ReadOnly: nothing can be written, which is the default and the safest mode
                  for browsing.
                - WorkspaceWrite: only the workspace can be written.

                Storage layout
                --------------
                Items live under the store root.

                    Get-SbxItem -Path ./items

            SEE ALSO
                Get-SbxItem

            """;
        Assert.Equal(expected.Replace("\r\n", "\n"), BuildAbout());
    }

    [Fact]
    public void LongProseNeverExceedsEightyColumns()
    {
        var words = string.Join(" ", Enumerable.Range(0, 120).Select(i => "word" + i));
        _docs.Edit("about_Sbx.help.md", "Items live under the store root.", words);
        var text = BuildAbout();
        Assert.All(text.Split('\n'), line => Assert.True(line.Length <= 80, $"{line.Length}: {line}"));
        Assert.Contains("word0 word1", text);
        Assert.Contains("word119", text);
    }

    [Fact]
    public void PlatyPsV1TemplateWithH1SectionsIsAccepted()
    {
        _docs.Write("about_Sbx.help.md",
            "# about_Sbx\n## about_Sbx\n\n# SHORT DESCRIPTION\nShort text.\n\n# LONG DESCRIPTION\nLong text with a [link](https://example.org/x).\n");
        Assert.Equal(
            "TOPIC\n    about_Sbx\n\nSHORT DESCRIPTION\n    Short text.\n\nLONG DESCRIPTION\n    Long text with a link (https://example.org/x).\n",
            BuildAbout());
    }

    [Fact]
    public void MissingShortDescriptionIsAnErrorAtTheTopicHeading()
    {
        _docs.Edit("about_Sbx.help.md", "## SHORT DESCRIPTION\nExplains how Sbx items are stored.\n\n", "");
        var result = _docs.Build();
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{_docs.PagePath("about_Sbx.help.md")}:1: missing '## SHORT DESCRIPTION' section", result.ErrorLines);
    }

    [Fact]
    public void TopicHeadingMustMatchFileName()
    {
        _docs.Edit("about_Sbx.help.md", "# about_Sbx", "# about_Other");
        var result = _docs.Build();
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{_docs.PagePath("about_Sbx.help.md")}:1: heading '# about_Other' does not match the file name 'about_Sbx.help.md'", result.ErrorLines);
    }
}
