namespace CodexSandbox.HelpBuilder.Tests;

/// <summary>Pages that break the platyPS v1 schema fail the build with <c>path:line: message</c> and write nothing.</summary>
public sealed class SchemaErrorTests : IDisposable
{
    private const string Page = "Get-SbxItem.md";
    private readonly DocSet _docs = new();

    public void Dispose() => _docs.Dispose();

    private string At(int line) => $"{_docs.PagePath(Page)}:{line}: ";

    private DocSet.RunResult BuildFails()
    {
        var result = _docs.Build();
        Assert.Equal(1, result.ExitCode);
        Assert.False(Directory.Exists(_docs.Output), "no help may be written when the docs are invalid");
        Assert.EndsWith("nothing written", result.ErrorLines[^1]);
        return result;
    }

    [Fact]
    public void UnknownSectionIsReportedAtItsHeading()
    {
        _docs.Edit(Page, "## NOTES", "## EXTRA STUFF\nSomething.\n\n## NOTES");
        var result = BuildFails();
        Assert.Contains(At(_docs.LineOf(Page, "## EXTRA STUFF")) + "unknown section '## EXTRA STUFF' (allowed: SYNOPSIS, SYNTAX, DESCRIPTION, EXAMPLES, PARAMETERS, INPUTS, OUTPUTS, NOTES, RELATED LINKS)", result.ErrorLines);
    }

    [Fact]
    public void SectionNamesAreCaseInsensitive()
    {
        _docs.Edit(Page, "## NOTES", "## Notes");
        Assert.Equal(0, _docs.Build().ExitCode);
    }

    [Fact]
    public void MissingSynopsisIsReportedAtTheCommandHeading()
    {
        _docs.Edit(Page, "## SYNOPSIS\nGets sandbox items by name or by path.\n", "");
        var result = BuildFails();
        Assert.Equal(8, _docs.LineOf(Page, "# Get-SbxItem"));
        Assert.Contains(At(8) + "missing '## SYNOPSIS' section", result.ErrorLines);
    }

    [Fact]
    public void ParameterWithoutYamlIsReportedAtItsHeading()
    {
        var text = _docs.Read(Page);
        var start = text.IndexOf("### -Path", StringComparison.Ordinal);
        var yamlStart = text.IndexOf("```yaml", start, StringComparison.Ordinal);
        var yamlEnd = text.IndexOf("```\n", yamlStart + 7, StringComparison.Ordinal) + 4;
        _docs.Write(Page, text.Remove(yamlStart, yamlEnd - yamlStart));
        var result = BuildFails();
        Assert.Contains(At(_docs.LineOf(Page, "### -Path")) + "parameter -Path has no ```yaml block", result.ErrorLines);
    }

    [Fact]
    public void MalformedYamlLineIsReportedAtThatLine()
    {
        _docs.Edit(Page, "Aliases: PSPath", "Aliases PSPath");
        var result = BuildFails();
        Assert.Contains(At(_docs.LineOf(Page, "Aliases PSPath")) + "malformed parameter yaml 'Aliases PSPath': expected 'Key: value'", result.ErrorLines);
    }

    [Fact]
    public void MisspelledYamlKeyIsReported()
    {
        _docs.Edit(Page, "Required: True\nPosition: 0\nDefault value: None\nAccept pipeline input: False",
            "Required: True\nPostion: 0\nDefault value: None\nAccept pipeline input: False");
        var result = BuildFails();
        var line = _docs.LineOf(Page, "Postion: 0");
        Assert.Contains(result.ErrorLines, l => l.StartsWith(At(line) + "unknown parameter yaml key 'Postion'", StringComparison.Ordinal));
        // The block that lost its Position is reported at its opening fence.
        Assert.Contains(result.ErrorLines, l => l.EndsWith("parameter yaml is missing 'Position:'", StringComparison.Ordinal));
    }

    [Fact]
    public void BadPositionAndPipelineValuesAreReported()
    {
        _docs.Edit(Page, "Position: 0\nDefault value: None\nAccept pipeline input: True (ByValue, ByPropertyName)",
            "Position: first\nDefault value: None\nAccept pipeline input: Yes");
        var result = BuildFails();
        Assert.Contains(At(_docs.LineOf(Page, "Position: first")) + "parameter yaml 'Position: first' must be a number or 'Named'", result.ErrorLines);
        Assert.Contains(result.ErrorLines, l => l.StartsWith(At(_docs.LineOf(Page, "Accept pipeline input: Yes")), StringComparison.Ordinal));
    }

    [Fact]
    public void UnclosedFenceIsReportedAtItsOpening()
    {
        _docs.Edit(Page, "## RELATED LINKS", "```powershell\nGet-SbxItem\n\n## RELATED LINKS");
        var result = BuildFails();
        Assert.Contains(At(LastLineOf("```powershell")) + "code fence '```' is never closed", result.ErrorLines);
    }

    private int LastLineOf(string snippet)
    {
        var lines = _docs.Read(Page).Split('\n');
        return Array.FindLastIndex(lines, l => l.Contains(snippet, StringComparison.Ordinal)) + 1;
    }

    [Fact]
    public void ParameterSetMissingFromSyntaxIsReported()
    {
        _docs.Edit(Page, "Parameter Sets: ByPath", "Parameter Sets: ByFile");
        var result = BuildFails();
        Assert.Contains(result.ErrorLines, l => l.EndsWith("parameter -Path names set 'ByFile', which '## SYNTAX' does not list", StringComparison.Ordinal));
    }

    [Fact]
    public void ExampleWithoutCodeIsReported()
    {
        _docs.Edit(Page, "```powershell\nGet-SbxItem -Name alpha\n```\n", "");
        var result = BuildFails();
        Assert.Contains(At(_docs.LineOf(Page, "### Example 1")) + "example 'Example 1: Get one item' has no fenced code block", result.ErrorLines);
    }

    [Fact]
    public void LeftoverPlatyPsPlaceholderIsReported()
    {
        _docs.Edit(Page, "Items are never modified.", "{{ Fill in the Notes }}");
        var result = BuildFails();
        Assert.Contains(At(_docs.LineOf(Page, "{{ Fill in the Notes }}")) + "unfilled platyPS placeholder '{{ ... }}'", result.ErrorLines);
    }

    [Fact]
    public void HeadingMustMatchFileName()
    {
        _docs.Edit(Page, "# Get-SbxItem\n", "# Get-SbxThing\n");
        var result = BuildFails();
        Assert.Contains(At(8) + "heading '# Get-SbxThing' does not match the file name 'Get-SbxItem.md'", result.ErrorLines);
    }

    [Fact]
    public void ErrorsFromSeveralPlacesAreAllReported()
    {
        _docs.Edit(Page, "## NOTES", "## EXTRA\n\n## NOTES");
        _docs.Edit(Page, "Aliases: PSPath", "Aliases PSPath");
        var result = BuildFails();
        Assert.Equal(3, result.ErrorLines.Length); // two problems and the summary line
    }

    [Fact]
    public void MissingModulePageIsAnError()
    {
        File.Delete(_docs.PagePath("Sbx.md"));
        var result = BuildFails();
        Assert.Contains($"{_docs.Docs}: no module page (front matter with 'Module Name' and 'Module Guid') found", result.ErrorLines);
    }

    [Fact]
    public void ModulePageMustListEveryCmdlet()
    {
        _docs.Edit("Sbx.md", "### [Get-SbxItem](Get-SbxItem.md)", "### [Get-SbxOld](Get-SbxOld.md)");
        var result = BuildFails();
        var module = _docs.PagePath("Sbx.md");
        Assert.Contains($"{module}:1: module page does not list cmdlet 'Get-SbxItem' (add '### [Get-SbxItem](Get-SbxItem.md)')", result.ErrorLines);
        Assert.Contains($"{module}:{_docs.LineOf("Sbx.md", "Get-SbxOld")}: module page lists 'Get-SbxOld', which has no page 'Get-SbxOld.md'", result.ErrorLines);
    }

    [Fact]
    public void ModulePageNeedsARealGuid()
    {
        _docs.Edit("Sbx.md", "Module Guid: 5b8e2a3c-0d1f-4e6a-9b7c-2f3e4d5a6b7c", "Module Guid: {{ Update Module Guid }}");
        var result = BuildFails();
        Assert.Contains($"{_docs.PagePath("Sbx.md")}:3: 'Module Guid: {{{{ Update Module Guid }}}}' is not a GUID", result.ErrorLines);
    }

    [Fact]
    public void PagesMustAgreeOnTheExternalHelpFile()
    {
        var second = _docs.Read(Page).Replace("Get-SbxItem", "Set-SbxItem", StringComparison.Ordinal)
            .Replace("external help file: Sbx.dll-Help.xml", "external help file: Other.dll-Help.xml", StringComparison.Ordinal);
        _docs.Write("Set-SbxItem.md", second);
        _docs.Edit("Sbx.md", "### [Get-SbxItem](Get-SbxItem.md)", "### [Get-SbxItem](Get-SbxItem.md)\n### [Set-SbxItem](Set-SbxItem.md)");
        var result = BuildFails();
        Assert.Contains($"{_docs.PagePath("Set-SbxItem.md")}:2: 'external help file: Other.dll-Help.xml' differs from 'Sbx.dll-Help.xml' used by the other pages", result.ErrorLines);
    }

    [Fact]
    public void MissingSchemaVersionIsReported()
    {
        _docs.Edit(Page, "schema: 2.0.0\n", "");
        var result = BuildFails();
        Assert.Contains(At(1) + "front matter is missing 'schema: 2.0.0'", result.ErrorLines);
    }
}
