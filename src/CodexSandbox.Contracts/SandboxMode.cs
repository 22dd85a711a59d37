using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace CodexSandbox;

/// <summary>How much of the file system a sandboxed command may change.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum SandboxMode
{
    /// <summary>Nothing is writable (config spelling <c>read-only</c>).</summary>
    ReadOnly,
    /// <summary>The working directory and the configured writable roots are writable (<c>workspace-write</c>).</summary>
    WorkspaceWrite,
    /// <summary>No sandbox at all (<c>danger-full-access</c>).</summary>
    DangerFullAccess,
}
