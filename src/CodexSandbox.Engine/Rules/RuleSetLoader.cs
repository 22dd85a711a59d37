namespace CodexSandbox.Engine.Rules;

/// <summary>
/// Loads <c>&lt;layer&gt;/rules/*.rules</c> for each layer folder (lowest precedence first, files sorted by name), then
/// any extra rule files. Every file is read so that each broken one gets its error diagnostic; a load with an error
/// has no usable rule set (<see cref="RuleLoadResult.GetRules"/> throws), so nothing runs until the file is fixed.
/// Codex warns and goes on with an empty policy instead, which drops the file's forbidden rules.
/// </summary>
public static class RuleSetLoader
{
    /// <param name="required">The administrator's <c>[rules] prefix_rules</c> from requirements.toml (prompt and forbidden only), laid over the files' rules.</param>
    public static RuleLoadResult Load(IReadOnlyList<string> layerDirectories, IReadOnlyList<string>? extraFiles = null, IReadOnlyList<PrefixRule>? required = null)
    {
        var files = new List<string>();
        foreach (var dir in layerDirectories)
        {
            var rulesDir = Path.Combine(dir, "rules");
            if (!Directory.Exists(rulesDir)) continue;
            var found = Directory.GetFiles(rulesDir, "*.rules", SearchOption.TopDirectoryOnly)
                .Where(f => f.EndsWith(".rules", StringComparison.Ordinal) && File.Exists(f))
                .ToList();
            found.Sort(StringComparer.Ordinal);
            files.AddRange(found);
        }
        if (extraFiles is not null) files.AddRange(extraFiles);

        var builder = new RuleSetBuilder();
        var diagnostics = new List<ConfigDiagnostic>();
        var loaded = new List<string>();
        foreach (var file in files)
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                diagnostics.Add(new ConfigDiagnostic(DiagnosticSeverity.Error, "ReadError", file, 0, 0, null,
                    $"cannot read rules file: {e.Message}; no command runs until it can be read (or is removed)"));
                continue;
            }
            try
            {
                builder.AddAll(RuleSet.Parse(file, text));
                loaded.Add(file);
            }
            catch (RulesParseException e)
            {
                diagnostics.Add(new ConfigDiagnostic(DiagnosticSeverity.Error, e.Id, file, e.Line, e.Column, null,
                    $"{e.Detail} (problem is on or around line {e.Line}); no command runs until this file is fixed"));
            }
        }
        // the strictest decision wins when rules match, so the requirements' rules hold whatever the files allow
        foreach (var rule in required ?? []) builder.Add(rule);
        return new RuleLoadResult(builder.Build(), loaded, diagnostics);
    }
}
