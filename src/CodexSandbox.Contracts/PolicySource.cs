using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace CodexSandbox;

/// <summary>Where a policy value came from, lowest precedence first.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum PolicySource
{
    /// <summary>The built-in default.</summary>
    Default,
    /// <summary>The system layer, <c>/etc/codex/config.toml</c>.</summary>
    System,
    /// <summary>The user layer, <c>$CODEX_HOME/config.toml</c> or <c>-ConfigPath</c>.</summary>
    User,
    /// <summary>A trusted project's <c>.codex/config.toml</c>.</summary>
    Project,
    /// <summary>The selected <c>[profiles.&lt;name&gt;]</c> table.</summary>
    Profile,
    /// <summary>A cmdlet parameter.</summary>
    Parameter,
    /// <summary>
    /// The administrator's <c>requirements.toml</c> in the system folder (<c>/etc/codex</c>): a constraint, or a value a
    /// constraint forced. Nothing overrides it.
    /// </summary>
    Requirements,
}
