using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace CodexSandbox;

/// <summary>Which variables of the caller's environment a sandboxed command starts from.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum EnvironmentInherit
{
    /// <summary>The whole environment.</summary>
    All,
    /// <summary>Only PATH, SHELL, HOME, LANG, USER and the other core variables.</summary>
    Core,
    /// <summary>Nothing.</summary>
    None,
}
