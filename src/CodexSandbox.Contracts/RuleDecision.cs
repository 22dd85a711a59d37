using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace CodexSandbox;

/// <summary>The decision an exec-policy <c>prefix_rule</c> gives; later values are stricter.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum RuleDecision
{
    Allow,
    Prompt,
    Forbidden,
}
