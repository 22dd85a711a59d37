using System.Text.Json.Nodes;

namespace CodexSandbox.HelpBuilder.Tests;

/// <summary>
/// --check-parameters compares the pages with metadata exported from the real cmdlets. TestData/commands.json was
/// produced by Export-CommandMetadata.ps1 from a compiled Get-SbxItem cmdlet that matches the sample page.
/// </summary>
public sealed class DriftTests : IDisposable
{
    private const string Page = "Get-SbxItem.md";
    private readonly DocSet _docs = new();

    public void Dispose() => _docs.Dispose();

    private static JsonArray RealCommands() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(DocSet.TestData, "commands.json")))!.AsArray();

    private static JsonObject Parameter(JsonArray commands, string name) =>
        commands[0]!["Parameters"]!.AsArray().Single(p => (string)p!["Name"]! == name)!.AsObject();

    private string WriteJson(JsonNode node)
    {
        var path = Path.Combine(_docs.Root, "commands.json");
        File.WriteAllText(path, node.ToJsonString());
        return path;
    }

    private DocSet.RunResult Check(JsonNode commands) => _docs.Run("--check-parameters", WriteJson(commands), _docs.Docs);

    private DocSet.RunResult Drifts(JsonNode commands)
    {
        var result = Check(commands);
        Assert.Equal(1, result.ExitCode);
        return result;
    }

    [Fact]
    public void MatchingExportIsClean()
    {
        var result = Check(RealCommands());
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public void BuildWithCheckWritesHelpOnlyWhenClean()
    {
        var clean = _docs.Build("--check-parameters", WriteJson(RealCommands()));
        Assert.True(clean.ExitCode == 0, clean.Stderr);
        Assert.True(File.Exists(Path.Combine(_docs.Output, "Sbx.dll-Help.xml")));

        Directory.Delete(_docs.Output, recursive: true);
        var commands = RealCommands();
        Parameter(commands, "Force")["Name"] = "Recurse";
        var drift = _docs.Build("--check-parameters", WriteJson(commands));
        Assert.Equal(1, drift.ExitCode);
        Assert.False(Directory.Exists(_docs.Output));
    }

    [Fact]
    public void CmdletWithoutPageIsDrift()
    {
        var commands = RealCommands();
        commands.Add(new JsonObject { ["Name"] = "Remove-SbxItem", ["Parameters"] = new JsonArray() });
        var result = Drifts(commands);
        Assert.Contains(result.ErrorLines, l => l.EndsWith($"cmdlet 'Remove-SbxItem' has no help page {Path.Combine(_docs.Docs, "Remove-SbxItem.md")}", StringComparison.Ordinal));
    }

    [Fact]
    public void PageWithoutCmdletIsDrift()
    {
        var result = Drifts(new JsonArray());
        Assert.Contains($"{_docs.PagePath(Page)}:8: page documents 'Get-SbxItem', which the module does not export", result.ErrorLines);
    }

    [Fact]
    public void UndocumentedParameterIsDrift()
    {
        var commands = RealCommands();
        var extra = Parameter(commands, "Force").DeepClone().AsObject();
        extra["Name"] = "PassThru";
        commands[0]!["Parameters"]!.AsArray().Add(extra);
        var result = Drifts(commands);
        Assert.Contains($"{_docs.PagePath(Page)}:{_docs.LineOf(Page, "## PARAMETERS")}: parameter -PassThru of Get-SbxItem is not documented", result.ErrorLines);
    }

    [Fact]
    public void DocumentedParameterMissingFromCmdletIsDriftAtItsHeading()
    {
        var commands = RealCommands();
        var parameters = commands[0]!["Parameters"]!.AsArray();
        parameters.Remove(Parameter(commands, "Force"));
        var result = Drifts(commands);
        Assert.Contains($"{_docs.PagePath(Page)}:{_docs.LineOf(Page, "### -Force")}: documented parameter -Force does not exist on Get-SbxItem", result.ErrorLines);
    }

    [Fact]
    public void CommonParametersInTheExportAreIgnored()
    {
        var commands = RealCommands();
        var verbose = Parameter(commands, "Force").DeepClone().AsObject();
        verbose["Name"] = "Verbose";
        commands[0]!["Parameters"]!.AsArray().Add(verbose);
        Assert.Equal(0, Check(commands).ExitCode);
    }

    [Fact]
    public void MandatoryPositionAndPipelineMismatchesAreDriftAtTheYamlBlock()
    {
        var commands = RealCommands();
        var set = Parameter(commands, "Path")["Sets"]![0]!;
        set["Mandatory"] = false;
        set["Position"] = -1;
        set["ValueFromPipelineByPropertyName"] = true;
        var result = Drifts(commands);
        // The block opens two lines above its "Parameter Sets:" line ("```yaml", then "Type:").
        var yaml = $"{_docs.PagePath(Page)}:{_docs.LineOf(Page, "Parameter Sets: ByPath") - 2}: ";
        Assert.Contains(yaml + "-Path of Get-SbxItem in set 'ByPath': yaml says Required: True but Mandatory is False", result.ErrorLines);
        Assert.Contains(yaml + "-Path of Get-SbxItem in set 'ByPath': yaml says Position: 0 but the cmdlet has Named", result.ErrorLines);
        Assert.Contains(result.ErrorLines, l => l.StartsWith(yaml + "-Path of Get-SbxItem in set 'ByPath': yaml says 'Accept pipeline input: False'", StringComparison.Ordinal));
    }

    [Fact]
    public void TypeAndAcceptedValueMismatchesAreDrift()
    {
        var commands = RealCommands();
        Parameter(commands, "Name")["Type"] = "System.Int32[]";
        Parameter(commands, "Mode")["AcceptedValues"] = new JsonArray("ReadOnly", "WorkspaceWrite");
        var result = Drifts(commands);
        Assert.Contains($"{_docs.PagePath(Page)}:{_docs.LineOf(Page, "### -Name")}: -Name of Get-SbxItem is documented as 'String[]' but its type is 'System.Int32[]'", result.ErrorLines);
        Assert.Contains(result.ErrorLines, l => l.EndsWith("-Mode of Get-SbxItem: yaml 'Accepted values: ReadOnly, WorkspaceWrite, DangerFullAccess' but the cmdlet accepts ReadOnly, WorkspaceWrite", StringComparison.Ordinal));
    }

    [Fact]
    public void ParameterSetMembershipMismatchIsDrift()
    {
        var commands = RealCommands();
        // The real -Mode only in ByPath, while the page says (All).
        Parameter(commands, "Mode")["Sets"]![0]!["Name"] = "ByPath";
        var result = Drifts(commands);
        Assert.Contains(result.ErrorLines, l => l.EndsWith("-Mode of Get-SbxItem: yaml says (All) but the parameter is not in set(s) ByName", StringComparison.Ordinal));
    }

    [Fact]
    public void DefaultParameterSetMismatchIsDrift()
    {
        var commands = RealCommands();
        commands[0]!["DefaultParameterSet"] = "ByPath";
        var result = Drifts(commands);
        Assert.Contains($"{_docs.PagePath(Page)}:8: default parameter set is 'ByPath' but the page marks 'ByName' as (Default)", result.ErrorLines);
    }

    [Fact]
    public void ShortTypeNamesMatchFullNames()
    {
        Assert.True(Drift.DriftChecker.TypeMatches("String[]", "System.String[]"));
        Assert.True(Drift.DriftChecker.TypeMatches("SwitchParameter", "System.Management.Automation.SwitchParameter"));
        Assert.False(Drift.DriftChecker.TypeMatches("String", "System.String[]"));
        Assert.False(Drift.DriftChecker.TypeMatches("Mode", "Sbx.SbxMode"));
    }

    [Fact]
    public void SchemaErrorsAreReportedInsteadOfSpuriousDrift()
    {
        _docs.Edit(Page, "## NOTES", "## BOGUS");
        var result = Drifts(RealCommands());
        Assert.Equal(2, result.ErrorLines.Length); // the schema error and the summary, no "has no help page"
        Assert.Contains("unknown section '## BOGUS'", result.ErrorLines[0]);
    }
}
