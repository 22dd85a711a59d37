using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace CodexSandbox;

/// <summary>How serious a configuration diagnostic is.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum DiagnosticSeverity
{
    /// <summary>The file or value cannot be used; policy resolution fails.</summary>
    Error,
    /// <summary>Probably a mistake (an unknown key in one of our tables); the value is ignored.</summary>
    Warning,
    /// <summary>For information only.</summary>
    Information,
}
