using System.Text.Json;
using System.Text.Json.Serialization;

namespace CodexSandbox.Engine.Rollback;

/// <summary>The JSON shape of checkpoint metadata and manifests (enums as names, so files stay readable).</summary>
internal static class RollbackJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };
}
