namespace CodexSandbox.Engine.Configuration;

/// <summary>The sandbox settings one config file (or one of its profiles) defines, keyed by dotted name.</summary>
public sealed class LayerSettings
{
    public Dictionary<string, Setting> Values { get; } = new(StringComparer.Ordinal);
    /// <summary><c>[profiles.&lt;name&gt;]</c> tables of this file.</summary>
    public Dictionary<string, LayerSettings> Profiles { get; } = new(StringComparer.Ordinal);
    /// <summary>The line of each <c>[profiles.&lt;name&gt;]</c> table.</summary>
    public Dictionary<string, int> ProfileLines { get; } = new(StringComparer.Ordinal);
    /// <summary><c>[projects."&lt;path&gt;"] trust_level</c> entries, keyed by normalized path.</summary>
    public Dictionary<string, Setting> Trust { get; } = new(StringComparer.Ordinal);
    /// <summary><c>[permissions.&lt;id&gt;]</c> tables of this file (permission profiles), read when a profile is compiled.</summary>
    public Dictionary<string, PermissionsTable> Permissions { get; } = new(StringComparer.Ordinal);
    public List<ConfigDiagnostic> Diagnostics { get; } = [];
}
