using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace CodexSandbox;

/// <summary>What the heuristics concluded about a command.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum CommandSafety
{
    /// <summary>Every part is on the known-safe list (read-only inspection commands).</summary>
    KnownSafe,
    /// <summary>Parsed, but not known to be safe.</summary>
    Unknown,
    /// <summary>Matches a destructive pattern (force delete, history rewrite, disk format…).</summary>
    Dangerous,
    /// <summary>Uses shell features the analyzer does not accept (expansions, redirections, subshells…); never auto-approved as safe.</summary>
    Unparsed,
}
