using System.Text.RegularExpressions;
using CodexSandbox.HelpBuilder.Diagnostics;
using CodexSandbox.HelpBuilder.Markdown;

namespace CodexSandbox.HelpBuilder.Parsing;

/// <summary>
/// The module page (<c>CodexSandbox.md</c>) produces no MAML, but it is the index users browse, so it must name
/// the module, carry a real GUID, and list exactly the cmdlets that have pages.
/// </summary>
internal static partial class ModulePageValidator
{
    [GeneratedRegex(@"^\[([^\]]+)\]\([^)]*\)$")]
    private static partial Regex LinkOnly();

    [GeneratedRegex(@"^[A-Za-z]+-[A-Za-z0-9]+$")]
    private static partial Regex CommandName();

    public static bool IsModulePage(SourceDocument doc) =>
        doc.FrontMatter.ContainsKey("Module Guid") && !doc.FrontMatter.ContainsKey("schema");

    public static void Validate(SourceDocument doc, IReadOnlyCollection<string> commandNames, string? moduleNameOfPages, DiagnosticList diagnostics)
    {
        var path = doc.Path;
        var moduleName = doc.Front("Module Name");
        if (string.IsNullOrWhiteSpace(moduleName)) diagnostics.Add(path, 1, "module page front matter is missing 'Module Name'");
        else if (moduleNameOfPages is not null && !moduleName.Equals(moduleNameOfPages, StringComparison.OrdinalIgnoreCase))
            diagnostics.Add(path, doc.FrontLine("Module Name"), $"module page names module '{moduleName}' but the cmdlet pages say '{moduleNameOfPages}'");
        if (!Guid.TryParse(doc.Front("Module Guid"), out _))
            diagnostics.Add(path, doc.FrontLine("Module Guid"), $"'Module Guid: {doc.Front("Module Guid")}' is not a GUID");

        // platyPS lists each cmdlet as '### [Verb-Noun](Verb-Noun.md)' followed by its synopsis.
        var listed = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var h in doc.Blocks.OfType<HeadingBlock>().Where(h => h.Level == 3))
        {
            var m = LinkOnly().Match(h.Text);
            var name = m.Success ? m.Groups[1].Value : h.Text;
            if (CommandName().IsMatch(name)) listed.TryAdd(name, h.Line);
        }
        foreach (var name in commandNames.Where(n => !listed.ContainsKey(n)))
            diagnostics.Add(path, 1, $"module page does not list cmdlet '{name}' (add '### [{name}]({name}.md)')");
        foreach (var (name, line) in listed.Where(kv => !commandNames.Contains(kv.Key, StringComparer.OrdinalIgnoreCase)))
            diagnostics.Add(path, line, $"module page lists '{name}', which has no page '{name}.md'");
    }
}
