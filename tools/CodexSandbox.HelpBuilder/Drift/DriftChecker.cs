using System.Text.Json;
using CodexSandbox.HelpBuilder.Diagnostics;
using CodexSandbox.HelpBuilder.Model;

namespace CodexSandbox.HelpBuilder.Drift;

/// <summary>
/// Compares the pages with the compiled cmdlets. Get-Help shows the MAML's syntax verbatim, so a parameter that
/// exists only in code (or only in docs), or a wrong Mandatory/Position/pipeline flag, misleads users silently.
/// </summary>
internal static class DriftChecker
{
    /// <summary>Parameters every cmdlet gets from [CmdletBinding]; platyPS folds them into "CommonParameters".</summary>
    private static readonly HashSet<string> CommonParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable",
        "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable",
    };

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    /// <summary>Reads the exporter's JSON; a lone object (ConvertTo-Json of one cmdlet) is accepted as a list of one.</summary>
    public static List<CommandMetadata> Load(string path)
    {
        var text = File.ReadAllText(path);
        var trimmed = text.TrimStart();
        var list = trimmed.StartsWith('{')
            ? [JsonSerializer.Deserialize<CommandMetadata>(text, Json)!]
            : JsonSerializer.Deserialize<List<CommandMetadata>>(text, Json) ?? [];
        if (list.Any(c => c is null || string.IsNullOrEmpty(c.Name) || c.Parameters.Any(p => p is null || string.IsNullOrEmpty(p.Name))))
            throw new JsonException("every command and parameter needs a 'Name'");
        return list;
    }

    public static void Check(string jsonPath, IReadOnlyList<CommandMetadata> real, IReadOnlyList<CommandHelp> pages, string docsDir, DiagnosticList diagnostics)
    {
        foreach (var command in real)
        {
            var page = pages.FirstOrDefault(p => p.Name.Equals(command.Name, StringComparison.OrdinalIgnoreCase));
            if (page is null)
            {
                diagnostics.Add(jsonPath, 0, $"cmdlet '{command.Name}' has no help page {Path.Combine(docsDir, command.Name + ".md")}");
                continue;
            }
            CheckCommand(command, page, diagnostics);
        }
        foreach (var page in pages.Where(p => !real.Any(c => c.Name.Equals(p.Name, StringComparison.OrdinalIgnoreCase))))
            diagnostics.Add(page.Path, page.HeadingLine, $"page documents '{page.Name}', which the module does not export");
    }

    private static void CheckCommand(CommandMetadata command, CommandHelp page, DiagnosticList diagnostics)
    {
        var realParameters = command.Parameters.Where(p => !CommonParameters.Contains(p.Name)).ToList();
        var namedSets = realParameters.SelectMany(p => p.Sets).Select(s => s.Name)
            .Where(n => n != ParameterSetMetadata.AllParameterSets).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var allSets = namedSets.Count > 0 ? namedSets : [ParameterSetMetadata.AllParameterSets];

        if (!string.IsNullOrEmpty(command.DefaultParameterSet) && namedSets.Count > 1)
        {
            var documented = page.ParameterSets.FirstOrDefault(s => s.IsDefault)?.Name;
            if (!command.DefaultParameterSet.Equals(documented, StringComparison.OrdinalIgnoreCase))
                diagnostics.Add(page.Path, page.HeadingLine, $"default parameter set is '{command.DefaultParameterSet}' but the page marks '{documented ?? "none"}' as (Default)");
        }

        foreach (var real in realParameters)
        {
            var doc = page.Parameters.FirstOrDefault(p => p.Name.Equals(real.Name, StringComparison.OrdinalIgnoreCase));
            if (doc is null)
            {
                diagnostics.Add(page.Path, page.ParametersLine, $"parameter -{real.Name} of {command.Name} is not documented");
                continue;
            }
            CheckParameter(command, real, doc, allSets, page.Path, diagnostics);
        }
        foreach (var doc in page.Parameters.Where(d => !realParameters.Any(r => r.Name.Equals(d.Name, StringComparison.OrdinalIgnoreCase))))
            diagnostics.Add(page.Path, doc.Line, $"documented parameter -{doc.Name} does not exist on {command.Name}");
    }

    private static void CheckParameter(
        CommandMetadata command, ParameterMetadata real, ParameterHelp doc, List<string> allSets, string path, DiagnosticList diagnostics)
    {
        var where = $"-{doc.Name} of {command.Name}";
        if (!TypeMatches(doc.Type, real.Type))
            diagnostics.Add(path, doc.Line, $"{where} is documented as '{doc.Type}' but its type is '{real.Type}'");

        // A parameter in __AllParameterSets belongs to every set the cmdlet has.
        var realBySet = new Dictionary<string, ParameterSetMetadata>(StringComparer.OrdinalIgnoreCase);
        foreach (var set in real.Sets)
            foreach (var name in set.Name == ParameterSetMetadata.AllParameterSets ? allSets : [set.Name])
                realBySet.TryAdd(name, set);

        foreach (var (setName, meta) in realBySet)
        {
            var usage = doc.UsageFor(setName);
            if (usage is null)
            {
                diagnostics.Add(path, doc.Line, $"{where} is in parameter set '{setName}' but its yaml does not list that set");
                continue;
            }
            var label = allSets.Count > 1 ? $"{where} in set '{setName}'" : where;
            if (usage.Required != meta.Mandatory)
                diagnostics.Add(path, usage.Line, $"{label}: yaml says Required: {usage.Required} but Mandatory is {meta.Mandatory}");
            int? position = meta.Position >= 0 ? meta.Position : null;
            if (usage.Position != position)
                diagnostics.Add(path, usage.Line, $"{label}: yaml says Position: {Show(usage.Position)} but the cmdlet has {Show(position)}");
            if (usage.ByValue != meta.ValueFromPipeline || usage.ByPropertyName != meta.ValueFromPipelineByPropertyName)
                diagnostics.Add(path, usage.Line,
                    $"{label}: yaml says 'Accept pipeline input: {usage.PipelineInput}' but the cmdlet has ValueFromPipeline={meta.ValueFromPipeline}, ValueFromPipelineByPropertyName={meta.ValueFromPipelineByPropertyName}");
        }
        foreach (var usage in doc.Usages)
        {
            if (usage.CoversAllSets)
            {
                var missing = allSets.Where(s => !realBySet.ContainsKey(s)).ToList();
                if (missing.Count > 0)
                    diagnostics.Add(path, usage.Line, $"{where}: yaml says (All) but the parameter is not in set(s) {string.Join(", ", missing)}");
            }
            foreach (var set in usage.Sets.Where(s => s != ParameterSetUsage.AllSets && !realBySet.ContainsKey(s)))
                diagnostics.Add(path, usage.Line, $"{where}: yaml lists set '{set}' but the parameter is not in it");
        }

        var documented = doc.Usages.SelectMany(u => u.AcceptedValues).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var same = documented.Count == real.AcceptedValues.Count &&
                   documented.All(v => real.AcceptedValues.Contains(v, StringComparer.OrdinalIgnoreCase));
        if (!same)
            diagnostics.Add(path, doc.Usages[0].Line,
                $"{where}: yaml 'Accepted values: {string.Join(", ", documented)}' but the cmdlet accepts {(real.AcceptedValues.Count == 0 ? "any value" : string.Join(", ", real.AcceptedValues))}");
    }

    /// <summary>Pages use short names (<c>String[]</c>, <c>SandboxMode</c>); the export has full names.</summary>
    internal static bool TypeMatches(string documented, string real) =>
        documented.Equals(real, StringComparison.OrdinalIgnoreCase) ||
        real.EndsWith("." + documented, StringComparison.OrdinalIgnoreCase) ||
        real.EndsWith("+" + documented, StringComparison.OrdinalIgnoreCase);

    private static string Show(int? position) => position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "Named";
}
