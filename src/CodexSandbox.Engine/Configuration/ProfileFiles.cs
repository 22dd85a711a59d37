using System.Text.RegularExpressions;

namespace CodexSandbox.Engine.Configuration;

/// <summary>
/// Profile files (codex-config-2026.md §5): <c>-Profile &lt;name&gt;</c> layers <c>$CODEX_HOME/&lt;name&gt;.config.toml</c>
/// over <c>config.toml</c>, so the file holds only the overrides. The legacy forms, a top-level <c>profile = "x"</c>
/// and <c>[profiles.x]</c> tables, keep working here although Codex no longer accepts them.
/// </summary>
public static partial class ProfileFiles
{
    public const string Suffix = ".config.toml";

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex PlainName();

    /// <summary>Codex's rule for a profile name: it becomes part of a file name.</summary>
    public static bool IsValidName(string name) => PlainName().IsMatch(name);

    /// <summary>The profile file of <paramref name="name"/>.</summary>
    public static string PathOf(string codexHome, string name) => Path.Combine(codexHome, name + Suffix);

    /// <summary>The names of the profile files in <paramref name="codexHome"/>.</summary>
    public static IEnumerable<string> Names(string codexHome)
    {
        if (!Directory.Exists(codexHome)) return [];
        return Directory.EnumerateFiles(codexHome, "*" + Suffix)
            .Select(f => Path.GetFileName(f)[..^Suffix.Length])
            .Where(IsValidName);
    }

    /// <summary>
    /// The profile file to layer over the user file, or null: the one <c>-Profile</c> names, else the one a legacy
    /// <c>profile</c> key of the system or user file names (a project cannot choose a profile, as in Codex).
    /// </summary>
    /// <exception cref="ConfigException">The name is not a plain name.</exception>
    internal static string? Select(ConfigRequest request, IReadOnlyList<(ConfigLayer Layer, LayerSettings Settings)> userLayers)
    {
        string? name = request.Profile;
        Setting? key = null;
        if (name is null)
        {
            for (int i = userLayers.Count - 1; i >= 0 && key is null; i--) key = userLayers[i].Settings.Values.GetValueOrDefault("profile");
            name = key?.Value as string;
        }
        if (name is null) return null;
        if (!IsValidName(name))
        {
            var where = key is null ? "-Profile" : $"profile = \"{name}\"";
            throw new ConfigException([new ConfigDiagnostic(DiagnosticSeverity.Error, "InvalidProfileName", key?.File ?? "", key?.Line ?? 0, 0, "profile",
                $"invalid {where} value `{name}`; pass a plain name such as `work` (letters, digits, '_' and '-'): it names the file {PathOf(request.CodexHome, "<name>")}.")]);
        }
        return PathOf(request.CodexHome, name);
    }

    /// <summary>
    /// Test-SandboxConfig's warnings for the legacy forms, which Codex rejects (<c>profile = "x"</c>) or ignores
    /// (<c>[profiles.x]</c>): each names the file to create instead.
    /// </summary>
    public static IEnumerable<ConfigDiagnostic> LegacyWarnings(string path, LayerSettings settings, string codexHome)
    {
        if (settings.Values.GetValueOrDefault("profile") is { Value: string selected } key)
        {
            yield return new ConfigDiagnostic(DiagnosticSeverity.Warning, "LegacyProfileKey", path, key.Line, 1, "profile",
                $"Codex no longer accepts profile = \"{selected}\" (it stops with an error); this module still applies it. " +
                $"Move the profile's settings to {PathOf(codexHome, selected)} and select it with -Profile {selected} (codex --profile {selected}).");
        }
        foreach (var (name, line) in settings.ProfileLines)
        {
            yield return new ConfigDiagnostic(DiagnosticSeverity.Warning, "LegacyProfileTable", path, line, 1, $"profiles.{name}",
                $"Codex no longer applies [profiles.{name}]; this module still does. Create {PathOf(codexHome, name)} with these settings " +
                $"(the keys without the [profiles.{name}] prefix) and remove the table.");
        }
    }
}
