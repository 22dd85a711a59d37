using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace CodexSandbox;

/// <summary>When the writable roots are checkpointed before a run, so Undo-SandboxChange can restore them.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum CheckpointMode
{
    /// <summary>Whenever a user or -Force approved the command (the default).</summary>
    OnApproval,
    /// <summary>Before every sandboxed run that can write.</summary>
    Always,
    /// <summary>Never (an explicit -Checkpoint still takes one).</summary>
    Never,
}
