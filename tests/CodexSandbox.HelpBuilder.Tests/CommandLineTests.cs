using System.Diagnostics;

namespace CodexSandbox.HelpBuilder.Tests;

/// <summary>Arguments and exit codes the build relies on: 0 ok, 1 schema errors or drift, 2 usage.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly DocSet _docs = new();

    public void Dispose() => _docs.Dispose();

    [Fact]
    public void NoArgumentsIsUsageError()
    {
        var result = _docs.Run();
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("usage:", result.Stderr);
    }

    [Fact]
    public void MissingDocsFolderIsUsageError()
    {
        var missing = Path.Combine(_docs.Root, "nope");
        var result = _docs.Run(missing, _docs.Output);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{missing}: docs folder does not exist", result.Stderr);
    }

    [Fact]
    public void UnreadableMetadataIsUsageError()
    {
        var json = Path.Combine(_docs.Root, "bad.json");
        File.WriteAllText(json, "[{ \"Name\": ");
        var result = _docs.Run("--check-parameters", json, _docs.Docs);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"{json}: cannot read command metadata", result.Stderr);
    }

    [Fact]
    public void BuildReportsWhatItWrote()
    {
        var result = _docs.Build();
        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"wrote {Path.Combine(_docs.Output, "Sbx.dll-Help.xml")} (1 cmdlet(s))", result.Stdout);
        Assert.Contains($"wrote {Path.Combine(_docs.Output, "about_Sbx.help.txt")}", result.Stdout);
    }

    [Fact]
    public void BuiltDllRunsUnderDotnetAndFailsTheProcessOnSchemaErrors()
    {
        var dll = typeof(HelpBuilderCli).Assembly.Location;
        Assert.Equal(0, RunDotnet(dll, _docs.Docs, _docs.Output).ExitCode);
        _docs.Edit("Get-SbxItem.md", "## NOTES", "## BOGUS");
        var (code, stderr) = RunDotnet(dll, _docs.Docs, _docs.Output);
        Assert.Equal(1, code);
        Assert.Contains($"{_docs.PagePath("Get-SbxItem.md")}:{_docs.LineOf("Get-SbxItem.md", "## BOGUS")}: unknown section '## BOGUS'", stderr);
    }

    private static (int ExitCode, string Stderr) RunDotnet(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "HelpBuilder did not exit");
        return (process.ExitCode, stderr.Result);
    }
}
