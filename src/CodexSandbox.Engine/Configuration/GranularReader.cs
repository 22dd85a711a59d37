using Tomlyn.Model;

namespace CodexSandbox.Engine.Configuration;

/// <summary>
/// Reads <c>approval_policy = { granular = { … } }</c> (codex-config-2026.md §4): <c>sandbox_approval</c>, <c>rules</c>
/// and <c>mcp_elicitations</c> are required, <c>skill_approval</c> and <c>request_permissions</c> are false when absent.
/// </summary>
internal static class GranularReader
{
    public delegate void Reporter(TomlTable table, string key, string dotted, string id, string message);

    private static readonly string[] s_required = ["sandbox_approval", "rules", "mcp_elicitations"];
    private static readonly string[] s_optional = ["skill_approval", "request_permissions"];

    /// <summary>The flags, or null (with an error reported) when the table is not a valid granular policy.</summary>
    public static GranularApproval? Read(TomlTable approval, string dotted, Reporter report)
    {
        if (approval.Count != 1 || !approval.TryGetValue("granular", out var inner))
        {
            var key = approval.Keys.FirstOrDefault(k => k != "granular") ?? "granular";
            report(approval, key, dotted, "WrongType", $"{dotted} as a table must be {{ granular = {{ … }} }}; '{key}' is not an approval policy.");
            return null;
        }
        if (inner is not TomlTable flags)
        {
            report(approval, "granular", dotted + ".granular", "WrongType", $"{dotted}.granular must be a table of booleans, not {LayerReader.Describe(inner)}.");
            return null;
        }
        var values = new Dictionary<string, bool>(StringComparer.Ordinal);
        bool ok = true;
        foreach (var (name, value) in flags)
        {
            if (!s_required.Contains(name) && !s_optional.Contains(name))
            {
                report(flags, name, $"{dotted}.granular.{name}", "UnknownKey",
                    $"Unknown key '{name}' in {dotted}.granular; known keys: {string.Join(", ", s_required.Concat(s_optional))}.");
                ok = false;
                continue;
            }
            if (value is bool b) values[name] = b;
            else
            {
                report(flags, name, $"{dotted}.granular.{name}", "WrongType", $"{dotted}.granular.{name} must be a boolean (true or false), not {LayerReader.Describe(value)}.");
                ok = false;
            }
        }
        foreach (var name in s_required.Where(n => !flags.ContainsKey(n)))
        {
            report(approval, "granular", $"{dotted}.granular.{name}", "MissingKey", $"{dotted}.granular is missing {name}; sandbox_approval, rules and mcp_elicitations are required.");
            ok = false;
        }
        if (!ok) return null;
        return new GranularApproval(values["sandbox_approval"], values["rules"], values["mcp_elicitations"],
            values.GetValueOrDefault("skill_approval"), values.GetValueOrDefault("request_permissions"));
    }
}
