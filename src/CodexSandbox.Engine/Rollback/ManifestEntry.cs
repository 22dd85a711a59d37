namespace CodexSandbox.Engine.Rollback;

/// <summary>One entry of a copy checkpoint's manifest. <see cref="Type"/> is "file", "dir" or "link".</summary>
internal sealed class ManifestEntry
{
    /// <summary>Relative to the root, '/'-separated.</summary>
    public string Path { get; init; } = "";
    public string Type { get; init; } = "file";
    public long Size { get; init; }
    public DateTime MtimeUtc { get; init; }
    public int Mode { get; init; }
    public string? Sha256 { get; init; }
    public string? Target { get; init; }

    /// <summary>Same content as far as undo cares: type, bytes, permission bits, link target.</summary>
    public static bool Same(ManifestEntry? a, ManifestEntry? b) =>
        a is null || b is null
            ? a is null && b is null
            : a.Type == b.Type && a.Type switch
            {
                "file" => a.Sha256 == b.Sha256 && a.Mode == b.Mode,
                "link" => a.Target == b.Target,
                _ => true,
            };
}
