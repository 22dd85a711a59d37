using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace CodexSandbox;

/// <summary>Whether the Linux bubblewrap namespace layer is used (<c>[sandbox_linux] namespaces</c>).</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum NamespaceRequirement
{
    /// <summary>Use bubblewrap when it works on this machine; otherwise the launcher alone.</summary>
    Auto,
    /// <summary>Refuse to run a sandboxed command unless bubblewrap works.</summary>
    Required,
    /// <summary>Never use bubblewrap.</summary>
    Off,
}
