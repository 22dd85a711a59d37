using System.Text.RegularExpressions;
using CodexSandbox.HelpBuilder.Diagnostics;
using CodexSandbox.HelpBuilder.Markdown;
using CodexSandbox.HelpBuilder.Model;

namespace CodexSandbox.HelpBuilder.Parsing;

/// <summary>
/// Validates a cmdlet page against platyPS v1 "schema 2.0.0" and builds its <see cref="CommandHelp"/>.
/// Every deviation is reported with its line; nothing is guessed.
/// </summary>
internal static partial class CommandPageParser
{
    public static readonly string[] AllowedSections =
        ["SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS"];

    [GeneratedRegex(@"^[A-Za-z]+-[A-Za-z0-9]+$")]
    private static partial Regex CommandName();

    [GeneratedRegex(@"^(.*?)\s*\(Default\)$", RegexOptions.IgnoreCase)]
    private static partial Regex DefaultSet();

    [GeneratedRegex(@"\[([^\]]*)\]\(([^)\s]*)\)")]
    private static partial Regex Link();

    public static CommandHelp? Parse(SourceDocument doc, DiagnosticList diagnostics)
    {
        var path = doc.Path;
        var before = diagnostics.Items.Count;

        var schema = doc.Front("schema");
        if (schema is null) diagnostics.Add(path, 1, "front matter is missing 'schema: 2.0.0'");
        else if (schema != "2.0.0") diagnostics.Add(path, doc.FrontLine("schema"), $"unsupported schema '{schema}' (expected 2.0.0)");
        var helpFile = doc.Front("external help file");
        if (string.IsNullOrWhiteSpace(helpFile)) diagnostics.Add(path, doc.FrontLine("external help file"), "front matter is missing 'external help file'");

        // The H1 comes first and names the command; H2s follow.
        HeadingBlock? h1 = null;
        var sections = new List<(HeadingBlock Heading, List<MarkdownBlock> Body)>();
        foreach (var block in doc.Blocks)
        {
            switch (block)
            {
                case HeadingBlock { Level: 1 } h when h1 is null:
                    h1 = h;
                    break;
                case HeadingBlock { Level: 1 } h:
                    diagnostics.Add(path, h.Line, $"second '# {h.Text}' heading; a cmdlet page has exactly one H1");
                    break;
                case HeadingBlock { Level: 2 } h when h1 is not null:
                    sections.Add((h, []));
                    break;
                case var b when h1 is null:
                    diagnostics.Add(path, b.Line, "content before the '# Verb-Noun' heading");
                    break;
                case var b when sections.Count == 0:
                    diagnostics.Add(path, b.Line, "content between the '# Verb-Noun' heading and the first '##' section");
                    break;
                case var b:
                    sections[^1].Body.Add(b);
                    break;
            }
        }
        if (h1 is null)
        {
            diagnostics.Add(path, 1, "missing the '# Verb-Noun' heading");
            return null;
        }
        var name = h1.Text;
        if (!CommandName().IsMatch(name)) diagnostics.Add(path, h1.Line, $"'{name}' is not a Verb-Noun command name");
        var stem = Path.GetFileNameWithoutExtension(path);
        if (!name.Equals(stem, StringComparison.OrdinalIgnoreCase))
            diagnostics.Add(path, h1.Line, $"heading '# {name}' does not match the file name '{stem}.md'");

        var byName = new Dictionary<string, (HeadingBlock Heading, List<MarkdownBlock> Body)>(StringComparer.OrdinalIgnoreCase);
        foreach (var section in sections)
        {
            var title = section.Heading.Text;
            if (!AllowedSections.Contains(title, StringComparer.OrdinalIgnoreCase))
                diagnostics.Add(path, section.Heading.Line, $"unknown section '## {title}' (allowed: {string.Join(", ", AllowedSections)})");
            else if (!byName.TryAdd(title, section))
                diagnostics.Add(path, section.Heading.Line, $"section '## {title}' appears twice");
        }

        string synopsis = "";
        if (!byName.TryGetValue("SYNOPSIS", out var synopsisSection))
            diagnostics.Add(path, h1.Line, "missing '## SYNOPSIS' section");
        else
        {
            synopsis = string.Join(" ", SectionBlocks.Prose(synopsisSection.Body));
            if (synopsis.Length == 0) diagnostics.Add(path, synopsisSection.Heading.Line, "'## SYNOPSIS' is empty");
        }

        var description = ProseOf(byName, "DESCRIPTION");
        var notes = ProseOf(byName, "NOTES");
        var syntaxSets = ReadSyntax(path, byName, diagnostics);
        var parameters = ReadParameters(path, byName, diagnostics);
        var examples = ReadExamples(path, byName, diagnostics);
        var inputs = ReadTypes(path, byName, "INPUTS", diagnostics);
        var outputs = ReadTypes(path, byName, "OUTPUTS", diagnostics);
        var online = doc.Front("online version");
        var links = ReadLinks(path, byName, online, diagnostics);

        // A leftover template marker anywhere in the prose is a documentation bug, not content.
        foreach (var section in sections)
            foreach (var p in section.Body.OfType<ParagraphBlock>())
                if (ParagraphText.HasPlaceholder(string.Join(" ", p.Lines)))
                    diagnostics.Add(path, p.Line, "unfilled platyPS placeholder '{{ ... }}'");

        var sets = BuildSets(path, syntaxSets, parameters, diagnostics);
        if (diagnostics.Items.Count > before) return null;
        var parametersLine = byName.TryGetValue("PARAMETERS", out var ps) ? ps.Heading.Line : h1.Line;
        return new CommandHelp(path, h1.Line, parametersLine, name, helpFile!, doc.Front("Module Name"), online, synopsis, description, sets,
            parameters, examples, inputs, outputs, notes, links);
    }

    private static List<string> ProseOf(Dictionary<string, (HeadingBlock Heading, List<MarkdownBlock> Body)> byName, string section) =>
        byName.TryGetValue(section, out var s) ? SectionBlocks.Prose(s.Body) : [];

    private static List<(string Name, bool IsDefault, int Line)> ReadSyntax(
        string path, Dictionary<string, (HeadingBlock Heading, List<MarkdownBlock> Body)> byName, DiagnosticList diagnostics)
    {
        var result = new List<(string, bool, int)>();
        if (!byName.TryGetValue("SYNTAX", out var section)) return result;
        // The syntax text itself is ignored (as platyPS v1 does); only the set names and "(Default)" matter.
        foreach (var (heading, _) in SectionBlocks.Split(section.Body).Entries)
        {
            var m = DefaultSet().Match(heading.Text);
            var setName = m.Success ? m.Groups[1].Value : heading.Text;
            if (result.Any(r => r.Item1.Equals(setName, StringComparison.OrdinalIgnoreCase)))
                diagnostics.Add(path, heading.Line, $"parameter set '{setName}' is listed twice under '## SYNTAX'");
            else result.Add((setName, m.Success, heading.Line));
        }
        if (result.Count(r => r.Item2) > 1)
            diagnostics.Add(path, section.Heading.Line, "more than one parameter set is marked '(Default)'");
        return result;
    }

    private static List<ParameterHelp> ReadParameters(
        string path, Dictionary<string, (HeadingBlock Heading, List<MarkdownBlock> Body)> byName, DiagnosticList diagnostics)
    {
        var result = new List<ParameterHelp>();
        if (!byName.TryGetValue("PARAMETERS", out var section)) return result;
        var split = SectionBlocks.Split(section.Body);
        foreach (var stray in split.Preamble)
            diagnostics.Add(path, stray.Line, "text under '## PARAMETERS' must follow a '### -Name' heading");
        foreach (var (heading, body) in split.Entries)
        {
            if (heading.Text is "CommonParameters" or "WorkflowCommonParameters") continue;
            if (!heading.Text.StartsWith('-') || heading.Text.Length < 2 || heading.Text.Contains(' '))
            {
                diagnostics.Add(path, heading.Line, $"'### {heading.Text}' under '## PARAMETERS' must be '### -ParameterName' or '### CommonParameters'");
                continue;
            }
            var name = heading.Text[1..];
            if (result.Any(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                diagnostics.Add(path, heading.Line, $"parameter -{name} is documented twice");
                continue;
            }
            var yamlBlocks = body.OfType<FenceBlock>().Where(f => f.Info.Equals("yaml", StringComparison.OrdinalIgnoreCase)).ToList();
            if (yamlBlocks.Count == 0)
            {
                diagnostics.Add(path, heading.Line, $"parameter -{name} has no ```yaml block");
                continue;
            }
            string? type = null;
            var usages = new List<ParameterSetUsage>();
            foreach (var fence in yamlBlocks)
            {
                if (ParameterYamlParser.Parse(path, fence, diagnostics) is not var (t, usage)) continue;
                if (type is not null && !type.Equals(t, StringComparison.OrdinalIgnoreCase))
                    diagnostics.Add(path, fence.Line, $"parameter -{name} has type '{t}' here but '{type}' in an earlier yaml block");
                type ??= t;
                foreach (var set in usage.Sets)
                    if (usages.Any(u => u.Covers(set)) || (usage.CoversAllSets && usages.Count > 0))
                        diagnostics.Add(path, fence.Line, $"parameter -{name} describes set '{set}' in more than one yaml block");
                usages.Add(usage);
            }
            if (type is null) continue;
            var description = SectionBlocks.Prose(body.Where(b => !yamlBlocks.Contains(b)));
            result.Add(new ParameterHelp(heading.Line, name, type, description, usages));
        }
        return result;
    }

    private static List<ExampleHelp> ReadExamples(
        string path, Dictionary<string, (HeadingBlock Heading, List<MarkdownBlock> Body)> byName, DiagnosticList diagnostics)
    {
        var result = new List<ExampleHelp>();
        if (!byName.TryGetValue("EXAMPLES", out var section)) return result;
        var split = SectionBlocks.Split(section.Body);
        foreach (var stray in split.Preamble)
            diagnostics.Add(path, stray.Line, "text under '## EXAMPLES' must follow a '### Example N: title' heading");
        foreach (var (heading, body) in split.Entries)
        {
            var code = body.OfType<FenceBlock>().Select(f => f.Text).ToList();
            if (code.Count == 0)
            {
                diagnostics.Add(path, heading.Line, $"example '{heading.Text}' has no fenced code block");
                continue;
            }
            // Prose before the code (an intro) and after it both go to remarks: Get-Help glues
            // <maml:introduction> to the code without a separator, so platyPS v1 leaves it empty.
            var remarks = SectionBlocks.Prose(body.Where(b => b is not FenceBlock));
            result.Add(new ExampleHelp(heading.Text, string.Join("\n\n", code), remarks));
        }
        return result;
    }

    private static List<TypeHelp> ReadTypes(
        string path, Dictionary<string, (HeadingBlock Heading, List<MarkdownBlock> Body)> byName, string sectionName,
        DiagnosticList diagnostics)
    {
        var result = new List<TypeHelp>();
        if (!byName.TryGetValue(sectionName, out var section)) return result;
        var split = SectionBlocks.Split(section.Body);
        foreach (var stray in split.Preamble)
            diagnostics.Add(path, stray.Line, $"text under '## {sectionName}' must follow a '### TypeName' heading");
        foreach (var (heading, body) in split.Entries)
            result.Add(new TypeHelp(heading.Text, SectionBlocks.Prose(body)));
        return result;
    }

    private static List<RelatedLink> ReadLinks(
        string path, Dictionary<string, (HeadingBlock Heading, List<MarkdownBlock> Body)> byName, string? online,
        DiagnosticList diagnostics)
    {
        var result = new List<RelatedLink>();
        // platyPS v1 puts the page's own online address first, so Get-Help -Online can open it.
        if (!string.IsNullOrWhiteSpace(online) && IsAbsolute(online)) result.Add(new RelatedLink("Online Version:", online));
        if (!byName.TryGetValue("RELATED LINKS", out var section)) return result;
        foreach (var block in section.Body)
        {
            if (block is not ParagraphBlock p)
            {
                diagnostics.Add(path, block.Line, "'## RELATED LINKS' may only hold markdown links '[text](uri)'");
                continue;
            }
            for (var i = 0; i < p.Lines.Count; i++)
            {
                var line = p.Lines[i].Trim().TrimStart('-', '*', '+').Trim();
                var matches = Link().Matches(line);
                if (matches.Count == 0 || Link().Replace(line, "").Trim().Length > 0)
                {
                    diagnostics.Add(path, p.Line + i, $"related link '{line}' is not a markdown link '[text](uri)'");
                    continue;
                }
                foreach (Match m in matches)
                {
                    var uri = m.Groups[2].Value;
                    var text = m.Groups[1].Value.Length > 0 ? m.Groups[1].Value : uri;
                    if (IsAbsolute(uri) && result.Any(r => r.Uri == uri)) continue;
                    result.Add(new RelatedLink(text, IsAbsolute(uri) ? uri : ""));
                }
            }
        }
        return result;
    }

    private static bool IsAbsolute(string uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps);

    private static List<ParameterSetHelp> BuildSets(
        string path, List<(string Name, bool IsDefault, int Line)> syntaxSets, List<ParameterHelp> parameters,
        DiagnosticList diagnostics)
    {
        var names = syntaxSets.Select(s => s.Name).ToList();
        var fromSyntax = names.Count > 0;
        foreach (var p in parameters)
            foreach (var u in p.Usages)
                foreach (var set in u.Sets.Where(s => !s.Equals(ParameterSetUsage.AllSets, StringComparison.OrdinalIgnoreCase)))
                {
                    if (names.Contains(set, StringComparer.OrdinalIgnoreCase)) continue;
                    if (fromSyntax) diagnostics.Add(path, u.Line, $"parameter -{p.Name} names set '{set}', which '## SYNTAX' does not list");
                    else names.Add(set);
                }
        if (names.Count == 0) names.Add("__AllParameterSets");

        var defaultName = syntaxSets.FirstOrDefault(s => s.IsDefault).Name ?? (names.Count == 1 ? names[0] : null);
        // Get-Help prints the syntax blocks in file order, and users read the first as "the" syntax.
        var ordered = names.OrderBy(n => n.Equals(defaultName, StringComparison.OrdinalIgnoreCase) ? 0 : 1);
        return [.. ordered.Select(set => new ParameterSetHelp(
            set,
            set.Equals(defaultName, StringComparison.OrdinalIgnoreCase),
            [.. parameters.Where(p => p.UsageFor(set) is not null).OrderBy(p => p.UsageFor(set)!.Position ?? int.MaxValue)]))];
    }
}
