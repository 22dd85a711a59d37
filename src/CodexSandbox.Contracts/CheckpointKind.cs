using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace CodexSandbox;

/// <summary>How a checkpoint recorded the state of its roots.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum CheckpointKind
{
    /// <summary>Nothing was recorded (the reason says why).</summary>
    None,
    /// <summary>A git commit of the work tree, kept in the checkpoint store's own repository (the user's refs are untouched).</summary>
    Git,
    /// <summary>A copy of the files in the checkpoint store, with a manifest.</summary>
    Copy,
    /// <summary>Several roots, some recorded with git and some by copy.</summary>
    Mixed,
}
