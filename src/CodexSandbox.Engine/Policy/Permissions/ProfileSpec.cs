using CodexSandbox.Engine.Policy.Layers;

namespace CodexSandbox.Engine.Policy.Permissions;

/// <summary>
/// A permission profile's keys as written, each value with its origin, before the special paths are expanded. Merging
/// (<see cref="Over"/>) is Codex's recursive TOML table merge: the higher table's keys replace matching keys, and the
/// <c>filesystem</c> table, a scoped path's table, <c>workspace_roots</c> and the network's <c>domains</c> and
/// <c>unix_sockets</c> merge key by key.
/// </summary>
internal sealed class ProfileSpec
{
    /// <summary>Not inherited: each profile describes itself.</summary>
    public string? Description { get; set; }
    public Sourced<string>? Extends { get; set; }
    public Dictionary<string, Sourced<bool>> WorkspaceRoots { get; } = new(StringComparer.Ordinal);
    /// <summary>A path key to its access (<c>read</c>, <c>write</c>, <c>deny</c>) or, scoped, to a table of subpath → access.</summary>
    public Dictionary<string, FilesystemValue> Filesystem { get; } = new(StringComparer.Ordinal);
    public Sourced<long>? GlobScanMaxDepth { get; set; }
    /// <summary>True when a <c>filesystem</c> table was written at all (an empty one still counts for the warning).</summary>
    public bool HasFilesystemTable { get; set; }
    public NetworkSpec Network { get; set; } = new();

    /// <summary><paramref name="child"/> merged over <paramref name="parent"/>; a new spec, the inputs unchanged.</summary>
    public static ProfileSpec Over(ProfileSpec parent, ProfileSpec child)
    {
        var merged = new ProfileSpec
        {
            Description = child.Description,
            Extends = child.Extends ?? parent.Extends,
            GlobScanMaxDepth = child.GlobScanMaxDepth ?? parent.GlobScanMaxDepth,
            HasFilesystemTable = parent.HasFilesystemTable || child.HasFilesystemTable,
            Network = NetworkSpec.Over(parent.Network, child.Network),
        };
        foreach (var (k, v) in parent.WorkspaceRoots) merged.WorkspaceRoots[k] = v;
        foreach (var (k, v) in child.WorkspaceRoots) merged.WorkspaceRoots[k] = v;
        foreach (var (k, v) in parent.Filesystem) merged.Filesystem[k] = v;
        foreach (var (k, v) in child.Filesystem)
        {
            merged.Filesystem[k] = merged.Filesystem.TryGetValue(k, out var below) && below.Scoped is { } lower && v.Scoped is { } upper
                ? FilesystemValue.Merge(lower, upper)
                : v;
        }
        return merged;
    }
}

/// <summary>A filesystem entry's value: one access for the path, or (scoped) subpath → access.</summary>
internal sealed record FilesystemValue(Sourced<string>? Access, IReadOnlyDictionary<string, Sourced<string>>? Scoped)
{
    public static FilesystemValue Merge(IReadOnlyDictionary<string, Sourced<string>> lower, IReadOnlyDictionary<string, Sourced<string>> upper)
    {
        var merged = new Dictionary<string, Sourced<string>>(lower, StringComparer.Ordinal);
        foreach (var (k, v) in upper) merged[k] = v;
        return new FilesystemValue(null, merged);
    }
}
