using CodexSandbox.Engine.Configuration;

namespace CodexSandbox.Engine.Environment;

/// <summary>Builds a sandboxed command's environment from the caller's (codex-behaviour.md §11, with our stricter defaults).</summary>
public static class EnvironmentBuilder
{
    /// <summary>Kept by <c>inherit = "core"</c> on Unix.</summary>
    public static readonly IReadOnlyList<string> CoreVariables =
        ["PATH", "SHELL", "TMPDIR", "TEMP", "TMP", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "LOGNAME", "USER"];

    /// <summary>
    /// Kept by <c>inherit = "core"</c> on Windows, names ignoring case: Codex's list plus the system folders, without
    /// which many programs (Winsock, cmd.exe) do not start.
    /// </summary>
    public static readonly IReadOnlyList<string> WindowsCoreVariables =
        ["PATH", "SHELL", "TMPDIR", "TEMP", "TMP", "PATHEXT", "USERNAME", "USERPROFILE", "SystemRoot", "windir", "ComSpec", "SystemDrive"];

    /// <summary>Names that look like secrets; Codex has the first three, we add the last two.</summary>
    public static readonly IReadOnlyList<string> DefaultExcludes = ["*KEY*", "*SECRET*", "*TOKEN*", "*PASSWORD*", "*CREDENTIAL*"];

    public sealed record Result(IReadOnlyDictionary<string, string> Environment, IReadOnlyList<EnvironmentRemoval> Removed);

    /// <param name="windows">Windows rules (names ignore case, PATH uses ';' and drive paths); the current OS by default.</param>
    public static Result Build(EnvironmentPolicy policy, IReadOnlyDictionary<string, string> parent, IReadOnlyList<string> writableRoots, bool? windows = null)
    {
        var onWindows = windows ?? OperatingSystem.IsWindows();
        var names = onWindows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var removed = new List<EnvironmentRemoval>();
        var env = new SortedDictionary<string, string>(names);

        // 1. Start set.
        foreach (var (name, value) in parent)
        {
            bool keep = policy.Inherit switch
            {
                EnvironmentInherit.All => true,
                EnvironmentInherit.Core => (onWindows ? WindowsCoreVariables : CoreVariables).Contains(name, names),
                _ => false,
            };
            if (keep) env[name] = value;
        }

        // 2. Markers of an outer sandbox must not leak in: the spawn sets its own.
        RemoveWhere(env, removed, n => n.StartsWith("CODEX_SANDBOX", onWindows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal), "set by the sandbox at spawn");

        // 3. Secrets, unless the user restored Codex's behaviour; 4. user excludes. One pass: each name is removed by
        // the first pattern that matches it, in this order, which is the reason it is reported with.
        var excludes = new List<(string Pattern, string Reason)>();
        if (!policy.IgnoreDefaultExcludes) excludes.AddRange(DefaultExcludes.Select(p => (p, $"default exclude {p}")));
        excludes.AddRange(policy.Exclude.Select(p => (p, $"exclude {p}")));
        var excluded = new List<(int Pattern, EnvironmentRemoval Removal)>();
        foreach (var name in env.Keys)
        {
            int first = excludes.FindIndex(e => Excludes(e.Pattern, name));
            if (first >= 0) excluded.Add((first, new EnvironmentRemoval(name, excludes[first].Reason)));
        }
        // Reported pattern by pattern, as before: every name the first pattern removed, then the second's, ...
        foreach (var (_, removal) in excluded.OrderBy(e => e.Pattern))
        {
            env.Remove(removal.Name);
            removed.Add(removal);
        }

        // 5. set overrides.
        foreach (var (name, value) in policy.Set) env[name] = value;

        // 6. include_only, after set (so set keys must match too, as in Codex).
        if (policy.IncludeOnly.Count > 0)
        {
            RemoveWhere(env, removed, n => !policy.IncludeOnly.Any(p => WildcardMatcher.IsMatch(p, n)), "not in include_only");
        }

        // 7. PATH entries that would let the command plant its own binaries for later runs.
        if (onWindows)
        {
            FilterWindowsPath(env, removed, writableRoots);
            env.TryAdd("PATHEXT", Backends.Windows.WindowsProgramResolver.DefaultPathExt); // as Codex's create_env does
        }
        else if (env.TryGetValue("PATH", out var path))
        {
            var kept = new List<string>();
            foreach (var entry in path.Split(':'))
            {
                string? reason = entry.Length == 0 ? "empty PATH entry"
                    : !entry.StartsWith('/') ? "relative PATH entry"
                    : writableRoots.FirstOrDefault(r => PathUtil.IsUnder(SafeNormalize(entry), r)) is { } root ? $"PATH entry inside writable root {root}"
                    : null;
                if (reason is null) kept.Add(entry);
                else removed.Add(new EnvironmentRemoval($"PATH:{entry}", reason));
            }
            env["PATH"] = string.Join(':', kept);
        }

        return new Result(new Dictionary<string, string>(env, names), removed);
    }

    // The same rule on Windows: ';'-separated, absolute means a drive or UNC path, folders compare ignoring case.
    private static void FilterWindowsPath(SortedDictionary<string, string> env, List<EnvironmentRemoval> removed, IReadOnlyList<string> writableRoots)
    {
        if (!env.TryGetValue("PATH", out var path)) return;
        var kept = new List<string>();
        foreach (var raw in path.Split(';'))
        {
            var entry = raw.Trim().Trim('"');
            string? reason = entry.Length == 0 ? "empty PATH entry"
                : !Backends.Windows.WindowsPath.IsWindowsStyle(entry) || (entry[1] == ':' && (entry.Length < 3 || entry[2] is not ('\\' or '/'))) ? "relative PATH entry"
                : writableRoots.FirstOrDefault(r => Backends.Windows.WindowsPath.IsWindowsStyle(r) && Backends.Windows.WindowsPath.IsUnder(entry, r)) is { } root ? $"PATH entry inside writable root {root}"
                : null;
            if (reason is null) kept.Add(raw);
            else if (raw.Length > 0) removed.Add(new EnvironmentRemoval($"PATH:{raw}", reason));
        }
        env["PATH"] = string.Join(';', kept);
    }

    private static string SafeNormalize(string p)
    {
        try { return PathUtil.Normalize(p); } catch (ArgumentException) { return p; }
    }

    // "*WORD*" (the default excludes) is a case-insensitive substring test; anything else goes to the wildcard matcher.
    private static bool Excludes(string pattern, string name) =>
        pattern.Length > 2 && pattern[0] == '*' && pattern[^1] == '*' && pattern.AsSpan(1, pattern.Length - 2).IndexOfAny('*', '?') < 0
            ? name.AsSpan().Contains(pattern.AsSpan(1, pattern.Length - 2), StringComparison.OrdinalIgnoreCase)
            : WildcardMatcher.IsMatch(pattern, name);

    private static void RemoveWhere(SortedDictionary<string, string> env, List<EnvironmentRemoval> removed, Func<string, bool> predicate, string reason)
    {
        foreach (var name in env.Keys.Where(predicate).ToList())
        {
            env.Remove(name);
            removed.Add(new EnvironmentRemoval(name, reason));
        }
    }
}
