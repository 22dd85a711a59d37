using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace CodexSandbox;

/// <summary>What network a sandboxed command may reach.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum NetworkMode
{
    /// <summary>No network at all.</summary>
    Off,
    /// <summary>Only hosts on the allowlist, through the module's loopback proxy.</summary>
    Allowlist,
    /// <summary>Unrestricted network.</summary>
    On,
}
