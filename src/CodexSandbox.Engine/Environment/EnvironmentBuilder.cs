using CodexSandbox.Engine.Configuration;

namespace CodexSandbox.Engine.Environment;

/// <summary>Builds a sandboxed command's environment from the caller's (codex-behaviour.md §11, with our stricter defaults).</summary>
public static class EnvironmentBuilder
{
    /// <summary>Kept by <c>inherit = "core"</c> on Unix.</summary>
    public static readonly IReadOnlyList<string> CoreVariables =
        ["PATH", "SHELL", "TMPDIR", "TEMP", "TMP", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "LOGNAME", "USER"];

    /// <summary>Names that look like secrets; Codex has the first three, we add the last two.</summary>
    public static readonly IReadOnlyList<string> DefaultExcludes = ["*KEY*", "*SECRET*", "*TOKEN*", "*PASSWORD*", "*CREDENTIAL*"];

    public sealed record Result(IReadOnlyDictionary<string, string> Environment, IReadOnlyList<EnvironmentRemoval> Removed);

    public static Result Build(EnvironmentPolicy policy, IReadOnlyDictionary<string, string> parent, IReadOnlyList<string> writableRoots)
    {
        var removed = new List<EnvironmentRemoval>();
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal);

        // 1. Start set.
        foreach (var (name, value) in parent)
        {
            bool keep = policy.Inherit switch
            {
                EnvironmentInherit.All => true,
                EnvironmentInherit.Core => CoreVariables.Contains(name, StringComparer.Ordinal),
                _ => false,
            };
            if (keep) env[name] = value;
        }

        // 2. Markers of an outer sandbox must not leak in: the spawn sets its own.
        RemoveWhere(env, removed, n => n.StartsWith("CODEX_SANDBOX", StringComparison.Ordinal), "set by the sandbox at spawn");

        // 3. Secrets, unless the user restored Codex's behaviour.
        if (!policy.IgnoreDefaultExcludes)
        {
            foreach (var pattern in DefaultExcludes)
            {
                RemoveWhere(env, removed, n => WildcardMatcher.IsMatch(pattern, n), $"default exclude {pattern}");
            }
        }

        // 4. User excludes.
        foreach (var pattern in policy.Exclude)
        {
            RemoveWhere(env, removed, n => WildcardMatcher.IsMatch(pattern, n), $"exclude {pattern}");
        }

        // 5. set overrides.
        foreach (var (name, value) in policy.Set) env[name] = value;

        // 6. include_only, after set (so set keys must match too, as in Codex).
        if (policy.IncludeOnly.Count > 0)
        {
            RemoveWhere(env, removed, n => !policy.IncludeOnly.Any(p => WildcardMatcher.IsMatch(p, n)), "not in include_only");
        }

        // 7. PATH entries that would let the command plant its own binaries for later runs.
        if (env.TryGetValue("PATH", out var path))
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

        return new Result(new Dictionary<string, string>(env, StringComparer.Ordinal), removed);
    }

    private static string SafeNormalize(string p)
    {
        try { return PathUtil.Normalize(p); } catch (ArgumentException) { return p; }
    }

    private static void RemoveWhere(SortedDictionary<string, string> env, List<EnvironmentRemoval> removed, Func<string, bool> predicate, string reason)
    {
        foreach (var name in env.Keys.Where(predicate).ToList())
        {
            env.Remove(name);
            removed.Add(new EnvironmentRemoval(name, reason));
        }
    }
}
