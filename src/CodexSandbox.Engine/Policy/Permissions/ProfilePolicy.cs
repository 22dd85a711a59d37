namespace CodexSandbox.Engine.Policy.Permissions;

/// <summary>A compiled permission profile mapped onto the policy's enforcement: mode, roots, carve-outs, denied paths, temp.</summary>
internal sealed record ProfilePolicy
{
    public required string Id { get; init; }
    /// <summary>Root parent first, the selected profile last.</summary>
    public required IReadOnlyList<string> Chain { get; init; }
    public string? Description { get; init; }
    public required SandboxMode Mode { get; init; }
    /// <summary>Each writable folder and the more specific read entries inside it (kept read-only).</summary>
    public required IReadOnlyList<(string Path, IReadOnlyList<string> ReadOnly)> WriteRoots { get; init; }
    /// <summary>Metadata paths (<c>.git</c>, <c>.codex</c>, <c>.agents</c>) an explicit write entry opens.</summary>
    public required IReadOnlyList<string> OpenedMetadata { get; init; }
    public required IReadOnlyList<string> DenyRead { get; init; }
    /// <summary>The folders reads are limited to, or null when <c>:root</c> (the whole disk) is readable.</summary>
    public IReadOnlyList<string>? Readable { get; init; }
    public required bool SlashTmpWritable { get; init; }
    public required bool TmpdirWritable { get; init; }
    /// <summary>The merged <c>[network]</c> table of the profile's chain (empty when none wrote one).</summary>
    public NetworkSpec Network { get; init; } = new();
    public required IReadOnlyList<FilesystemEntry> Entries { get; init; }
    public required IReadOnlyList<string> Warnings { get; init; }
}
