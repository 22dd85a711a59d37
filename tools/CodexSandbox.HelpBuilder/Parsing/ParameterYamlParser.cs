using System.Globalization;
using System.Text.RegularExpressions;
using CodexSandbox.HelpBuilder.Diagnostics;
using CodexSandbox.HelpBuilder.Markdown;
using CodexSandbox.HelpBuilder.Model;

namespace CodexSandbox.HelpBuilder.Parsing;

/// <summary>
/// Reads the flat <c>Key: value</c> yaml of a platyPS v1 parameter. Only the keys platyPS writes are accepted,
/// so a typo (<c>Postion:</c>) fails the build instead of silently dropping metadata.
/// </summary>
internal static partial class ParameterYamlParser
{
    private static readonly string[] KnownKeys =
    [
        "Type", "Parameter Sets", "Aliases", "Accepted values", "Required", "Position", "Default value",
        "Accept pipeline input", "Accept wildcard characters", "Applicable",
    ];

    private static readonly string[] RequiredKeys = ["Type", "Parameter Sets", "Required", "Position"];

    [GeneratedRegex(@"^([A-Za-z][A-Za-z ]*?)\s*:(.*)$")]
    private static partial Regex KeyValue();

    [GeneratedRegex(@"^True \((ByValue|ByPropertyName)(, ?(ByValue|ByPropertyName))?\)$", RegexOptions.IgnoreCase)]
    private static partial Regex PipelineTrue();

    /// <summary>Returns the block's type and usage, or null when the block is unusable (errors reported).</summary>
    public static (string Type, ParameterSetUsage Usage)? Parse(string path, FenceBlock fence, DiagnosticList diagnostics)
    {
        var values = new Dictionary<string, (string Value, int Line)>(StringComparer.OrdinalIgnoreCase);
        var ok = true;
        for (var i = 0; i < fence.Content.Count; i++)
        {
            var raw = fence.Content[i];
            var lineNo = fence.Line + 1 + i;
            if (raw.Trim().Length == 0 || raw.TrimStart().StartsWith('#')) continue;
            var m = KeyValue().Match(raw.Trim());
            if (!m.Success)
            {
                diagnostics.Add(path, lineNo, $"malformed parameter yaml '{raw.Trim()}': expected 'Key: value'");
                ok = false;
                continue;
            }
            var key = m.Groups[1].Value;
            var known = KnownKeys.FirstOrDefault(k => k.Equals(key, StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                diagnostics.Add(path, lineNo, $"unknown parameter yaml key '{key}' (expected one of: {string.Join(", ", KnownKeys)})");
                ok = false;
                continue;
            }
            if (!values.TryAdd(known, (m.Groups[2].Value.Trim(), lineNo)))
            {
                diagnostics.Add(path, lineNo, $"parameter yaml key '{known}' appears twice");
                ok = false;
            }
        }
        foreach (var key in RequiredKeys.Where(k => !values.ContainsKey(k)))
        {
            diagnostics.Add(path, fence.Line, $"parameter yaml is missing '{key}:'");
            ok = false;
        }
        if (!ok) return null;

        var type = values["Type"].Value;
        if (type.Length == 0)
        {
            diagnostics.Add(path, values["Type"].Line, "parameter yaml 'Type:' is empty");
            ok = false;
        }
        var sets = SplitList(values["Parameter Sets"].Value);
        if (sets.Count == 0)
        {
            diagnostics.Add(path, values["Parameter Sets"].Line, "parameter yaml 'Parameter Sets:' is empty (use '(All)')");
            ok = false;
        }
        var required = ParseBool(path, values, "Required", false, diagnostics, ref ok);
        var globbing = ParseBool(path, values, "Accept wildcard characters", false, diagnostics, ref ok);

        int? position = null;
        var (positionText, positionLine) = values["Position"];
        if (!positionText.Equals("Named", StringComparison.OrdinalIgnoreCase))
        {
            if (int.TryParse(positionText, NumberStyles.None, CultureInfo.InvariantCulture, out var p)) position = p;
            else
            {
                diagnostics.Add(path, positionLine, $"parameter yaml 'Position: {positionText}' must be a number or 'Named'");
                ok = false;
            }
        }

        var pipeline = "False";
        if (values.TryGetValue("Accept pipeline input", out var pipe) && pipe.Value.Length > 0)
        {
            if (pipe.Value.Equals("False", StringComparison.OrdinalIgnoreCase)) pipeline = "False";
            else if (PipelineTrue().IsMatch(pipe.Value)) pipeline = pipe.Value;
            else
            {
                diagnostics.Add(path, pipe.Line,
                    $"parameter yaml 'Accept pipeline input: {pipe.Value}' must be False, True (ByValue), True (ByPropertyName) or True (ByValue, ByPropertyName)");
                ok = false;
            }
        }

        var defaultValue = values.TryGetValue("Default value", out var d) && d.Value.Length > 0 ? d.Value : "None";
        var aliases = values.TryGetValue("Aliases", out var a) ? SplitList(a.Value) : [];
        if (aliases is [var only] && only.Equals("None", StringComparison.OrdinalIgnoreCase)) aliases = [];
        var accepted = values.TryGetValue("Accepted values", out var av) ? SplitList(av.Value) : [];

        if (!ok) return null;
        return (type, new ParameterSetUsage(fence.Line, sets, required, position, pipeline, globbing, defaultValue, aliases, accepted));
    }

    private static bool ParseBool(
        string path, Dictionary<string, (string Value, int Line)> values, string key, bool fallback,
        DiagnosticList diagnostics, ref bool ok)
    {
        if (!values.TryGetValue(key, out var entry) || entry.Value.Length == 0) return fallback;
        if (bool.TryParse(entry.Value, out var b)) return b;
        diagnostics.Add(path, entry.Line, $"parameter yaml '{key}: {entry.Value}' must be True or False");
        ok = false;
        return fallback;
    }

    private static List<string> SplitList(string value) =>
        [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
