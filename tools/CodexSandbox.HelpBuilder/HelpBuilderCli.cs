using System.Text;
using System.Text.Json;
using CodexSandbox.HelpBuilder.About;
using CodexSandbox.HelpBuilder.Diagnostics;
using CodexSandbox.HelpBuilder.Drift;
using CodexSandbox.HelpBuilder.Maml;
using CodexSandbox.HelpBuilder.Markdown;
using CodexSandbox.HelpBuilder.Model;
using CodexSandbox.HelpBuilder.Parsing;

namespace CodexSandbox.HelpBuilder;

/// <summary>
/// Command line: <c>HelpBuilder &lt;docs/en-US&gt; &lt;out/en-US&gt; [--check-parameters &lt;commands.json&gt;]</c>, or
/// <c>HelpBuilder --check-parameters &lt;commands.json&gt; &lt;docs/en-US&gt;</c> to check drift without writing.
/// Exit 0 = written/clean, 1 = schema errors or drift (printed as <c>path:line: message</c>), 2 = bad usage.
/// Nothing is written unless every check passes, so a failed build never leaves half-updated help behind.
/// </summary>
internal static class HelpBuilderCli
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    private const string UsageText =
        "usage: CodexSandbox.HelpBuilder <docs/en-US folder> <output en-US folder> [--check-parameters <commands.json>]\n" +
        "       CodexSandbox.HelpBuilder --check-parameters <commands.json> <docs/en-US folder>";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? checkFile = null;
        var positional = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help" or "-?":
                    stdout.WriteLine(UsageText);
                    return Ok;
                case "--check-parameters" when i + 1 < args.Length && checkFile is null:
                    checkFile = args[++i];
                    break;
                case var a when a.StartsWith("--", StringComparison.Ordinal):
                    stderr.WriteLine($"unknown or incomplete option '{a}'\n{UsageText}");
                    return Usage;
                default:
                    positional.Add(args[i]);
                    break;
            }
        }
        if (positional.Count != 2 && !(checkFile is not null && positional.Count == 1))
        {
            stderr.WriteLine(UsageText);
            return Usage;
        }
        var docsDir = positional[0];
        var outDir = positional.Count == 2 ? positional[1] : null;
        if (!Directory.Exists(docsDir))
        {
            stderr.WriteLine($"{docsDir}: docs folder does not exist");
            return Usage;
        }
        List<CommandMetadata>? real = null;
        if (checkFile is not null)
        {
            try
            {
                real = DriftChecker.Load(checkFile);
            }
            catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"{checkFile}: cannot read command metadata: {e.Message}");
                return Usage;
            }
        }

        var diagnostics = new DiagnosticList();
        var result = Build(docsDir, diagnostics);
        // Drift is only meaningful against pages that parsed; a broken page would also read as "no help page".
        if (real is not null && !diagnostics.HasErrors) DriftChecker.Check(checkFile!, real, result.Commands, docsDir, diagnostics);
        if (diagnostics.HasErrors)
        {
            foreach (var d in diagnostics.Items) stderr.WriteLine(d);
            stderr.WriteLine($"{diagnostics.Items.Count} help error(s); nothing written");
            return Failed;
        }

        if (outDir is null)
        {
            stdout.WriteLine($"{result.Commands.Count} cmdlet page(s) match {checkFile}");
            return Ok;
        }
        Directory.CreateDirectory(outDir);
        var mamlPath = Path.Combine(outDir, result.HelpFileName!);
        MamlWriter.Save(MamlWriter.Build(result.Commands), mamlPath);
        stdout.WriteLine($"wrote {mamlPath} ({result.Commands.Count} cmdlet(s))");
        foreach (var (topic, text) in result.AboutTopics)
        {
            var aboutPath = Path.Combine(outDir, topic + ".help.txt");
            File.WriteAllText(aboutPath, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            stdout.WriteLine($"wrote {aboutPath}");
        }
        return Ok;
    }

    /// <summary>Parses and validates every page of a docs folder.</summary>
    internal static BuildResult Build(string docsDir, DiagnosticList diagnostics)
    {
        var commands = new List<CommandHelp>();
        var abouts = new List<(string, string)>();
        var modulePages = new List<SourceDocument>();
        var cmdletDocs = new List<SourceDocument>();
        foreach (var file in Directory.GetFiles(docsDir, "*.md").Order(StringComparer.Ordinal))
        {
            var doc = MarkdownReader.Read(file, diagnostics);
            var name = Path.GetFileName(file);
            if (name.StartsWith("about_", StringComparison.OrdinalIgnoreCase) && name.EndsWith(".help.md", StringComparison.OrdinalIgnoreCase))
            {
                if (AboutTopicConverter.Convert(doc, diagnostics) is { } text) abouts.Add((AboutTopicConverter.TopicName(file), text));
            }
            else if (ModulePageValidator.IsModulePage(doc)) modulePages.Add(doc);
            else
            {
                cmdletDocs.Add(doc);
                if (CommandPageParser.Parse(doc, diagnostics) is { } command) commands.Add(command);
            }
        }

        if (cmdletDocs.Count == 0) diagnostics.Add(docsDir, 0, "no cmdlet pages (Verb-Noun.md with 'schema: 2.0.0') found");
        // Get-Help looks for exactly one file named after the cmdlets' assembly, so the pages must agree on it.
        var helpFile = commands.Select(c => c.ExternalHelpFile).FirstOrDefault();
        int HelpFileLine(CommandHelp c) => cmdletDocs.First(d => d.Path == c.Path).FrontLine("external help file");
        foreach (var c in commands.Where(c => c.ExternalHelpFile != helpFile))
            diagnostics.Add(c.Path, HelpFileLine(c), $"'external help file: {c.ExternalHelpFile}' differs from '{helpFile}' used by the other pages");
        if (helpFile is not null && !helpFile.EndsWith("-Help.xml", StringComparison.OrdinalIgnoreCase))
            diagnostics.Add(commands[0].Path, HelpFileLine(commands[0]), $"'external help file: {helpFile}' must be named '<Assembly>.dll-Help.xml'");
        if (helpFile is not null && helpFile.IndexOfAny(['/', '\\']) >= 0)
            diagnostics.Add(commands[0].Path, HelpFileLine(commands[0]), $"'external help file: {helpFile}' must be a file name, not a path");

        var moduleNames = cmdletDocs.Select(d => d.Front("Module Name")).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (moduleNames.Count > 1)
            diagnostics.Add(docsDir, 0, $"cmdlet pages name different modules: {string.Join(", ", moduleNames)}");
        if (modulePages.Count == 0)
            diagnostics.Add(docsDir, 0, "no module page (front matter with 'Module Name' and 'Module Guid') found");
        foreach (var extra in modulePages.Skip(1))
            diagnostics.Add(extra.Path, 1, $"second module page; {modulePages[0].Path} is already the module page");
        if (modulePages.Count > 0)
        {
            var names = cmdletDocs.Select(d => Path.GetFileNameWithoutExtension(d.Path)).ToList();
            ModulePageValidator.Validate(modulePages[0], names, moduleNames.Count == 1 ? moduleNames[0] : null, diagnostics);
        }
        return new BuildResult(commands, abouts, helpFile);
    }

    internal sealed record BuildResult(
        IReadOnlyList<CommandHelp> Commands, IReadOnlyList<(string Topic, string Text)> AboutTopics, string? HelpFileName);
}
