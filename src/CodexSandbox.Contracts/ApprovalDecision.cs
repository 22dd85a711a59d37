using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace CodexSandbox;

/// <summary>What the approval policy says about a command.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum ApprovalDecision
{
    /// <summary>Runs without asking.</summary>
    Allow,
    /// <summary>Runs only after the user approves.</summary>
    Prompt,
    /// <summary>Never runs.</summary>
    Forbidden,
}
