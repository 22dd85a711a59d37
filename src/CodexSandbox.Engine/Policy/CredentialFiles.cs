using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Policy.Layers;

namespace CodexSandbox.Engine.Policy;

/// <summary>
/// The well-known credential stores in the user's home that are unreadable inside the sandbox by default
/// (stricter than Codex; <c>[sandbox_credentials] deny_read = false</c> turns it off). They are resolved to
/// concrete, existing paths that join the policy's deny_read, so the backends need no special case.
/// </summary>
public static class CredentialFiles
{
    /// <summary>The config key that switches the list off.</summary>
    public const string ConfigKey = "sandbox_credentials.deny_read";

    /// <summary>Paths under the home folder denied as a whole (files or folders).</summary>
    public static readonly IReadOnlyList<string> HomeEntries =
        [".aws", ".config/gh", ".gnupg", ".netrc", ".docker/config.json", ".kube", ".git-credentials"];

    /// <summary>Entries of <c>~/.ssh</c> that stay readable, so ssh can still verify hosts.</summary>
    public static bool IsReadableSshEntry(string name) =>
        name is "known_hosts" or "config" || name.EndsWith(".pub", StringComparison.Ordinal);

    /// <summary>The entries for the policy, and their provenance (the default, or the key's file and line).</summary>
    /// <param name="setting">The <see cref="ConfigKey"/> setting in effect, or null.</param>
    /// <param name="parentEnvironment">Where <c>HOME</c> comes from (fallback: the user profile folder).</param>
    /// <param name="codexHome"><c>$CODEX_HOME</c>, whose <c>auth.json</c> holds Codex's own login.</param>
    public static IReadOnlyList<string> Resolve(Sourced<bool>? setting, IReadOnlyDictionary<string, string> parentEnvironment, string codexHome, ICollection<PolicyOrigin> origins)
    {
        origins.Add(setting?.Origin ?? new PolicyOrigin(ConfigKey, "true", PolicySource.Default));
        if (setting?.Value is false) return [];
        var home = parentEnvironment.TryGetValue("HOME", out var h) && h.Length > 0
            ? h
            : System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
        return List(home, codexHome);
    }

    /// <summary>The existing credential paths: each entry of <c>~/.ssh</c> but the readable ones, the other stores, and <c>auth.json</c>.</summary>
    public static IReadOnlyList<string> List(string home, string codexHome)
    {
        var result = new List<string>();
        if (home.Length > 0 && Path.IsPathRooted(home))
        {
            var ssh = PathUtil.Canonical(Path.Combine(home, ".ssh"));
            if (Directory.Exists(ssh))
            {
                try
                {
                    foreach (var entry in Directory.EnumerateFileSystemEntries(ssh).Order(StringComparer.Ordinal))
                    {
                        if (!IsReadableSshEntry(Path.GetFileName(entry))) Add(result, entry);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // A folder we cannot list is denied whole: failing safe costs ssh its known_hosts.
                    Add(result, ssh);
                }
            }
            else if (File.Exists(ssh)) Add(result, ssh);
            foreach (var entry in HomeEntries) Add(result, Path.Combine(home, entry));
        }
        if (codexHome.Length > 0 && Path.IsPathRooted(codexHome)) Add(result, Path.Combine(codexHome, "auth.json"));
        return result;
    }

    private static void Add(List<string> result, string path)
    {
        // Links are followed: the mask goes on the file itself (bubblewrap cannot mount over a symbolic link,
        // and a link to a masked file reads the mask).
        // realpath(3) resolves every link of an existing path at once, and fails for a missing one (nothing to deny).
        // Elsewhere twice: the first pass stops at a link's final target, whose own parents may still be links.
        var canonical = PathUtil.TryRealPath(path) ?? (OperatingSystem.IsWindows() ? PathUtil.Canonical(PathUtil.Canonical(path)) : null);
        if (canonical is null || canonical == "/" || !(File.Exists(canonical) || Directory.Exists(canonical))) return;
        var entry = Literal(canonical);
        if (!result.Contains(entry, StringComparer.Ordinal)) result.Add(entry);
    }

    /// <summary>
    /// deny_read entries are globs: a character that a glob or a Seatbelt regex literal would read specially
    /// becomes <c>?</c>, which still matches it (and at worst a sibling of the same length, also denied).
    /// </summary>
    internal static string Literal(string path)
    {
        if (path.IndexOfAny(['*', '?', '[', '"']) < 0 && !path.Any(char.IsControl)) return path;
        return string.Create(path.Length, path, static (span, p) =>
        {
            for (int i = 0; i < p.Length; i++) span[i] = p[i] is '*' or '[' or '"' || char.IsControl(p[i]) ? '?' : p[i];
        });
    }
}
