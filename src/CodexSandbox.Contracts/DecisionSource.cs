using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace CodexSandbox;

/// <summary>Who decided that a command could run.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum DecisionSource
{
    /// <summary>The approval policy allowed it without asking.</summary>
    Policy,
    /// <summary>An exec-policy rule (<c>prefix_rule</c>) decided.</summary>
    Rule,
    /// <summary>The user answered a prompt.</summary>
    User,
    /// <summary><c>-Force</c> approved it.</summary>
    Force,
    /// <summary>"Yes to All" earlier in this session approved the same command.</summary>
    Session,
}
