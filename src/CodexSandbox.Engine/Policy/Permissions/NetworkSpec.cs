using CodexSandbox.Engine.Policy.Layers;

namespace CodexSandbox.Engine.Policy.Permissions;

/// <summary>
/// A profile's <c>[network]</c> table as written (codex-config-2026.md §3), each value with its origin. Merging follows
/// Codex's recursive table merge: a child's scalar replaces the parent's, and <c>domains</c> and <c>unix_sockets</c> merge
/// key by key (host patterns compared lower-case, as Codex normalises them before the merge).
/// </summary>
internal sealed class NetworkSpec
{
    public Sourced<bool>? Enabled { get; set; }
    /// <summary><c>full</c> or <c>limited</c>.</summary>
    public Sourced<string>? Mode { get; set; }
    /// <summary>A host pattern (lower case) to <c>allow</c> or <c>deny</c>.</summary>
    public Dictionary<string, Sourced<string>> Domains { get; } = new(StringComparer.Ordinal);
    public Sourced<bool>? AllowLocalBinding { get; set; }
    /// <summary>An absolute socket path (or folder) to <c>allow</c> or <c>deny</c>.</summary>
    public Dictionary<string, Sourced<string>> UnixSockets { get; } = new(StringComparer.Ordinal);
    public Sourced<bool>? AllowAllUnixSockets { get; set; }

    /// <summary>True when no key this module uses was written: the profile then leaves <c>[sandbox_network]</c> in charge.</summary>
    public bool IsEmpty => Enabled is null && Mode is null && Domains.Count == 0 && AllowLocalBinding is null && UnixSockets.Count == 0 && AllowAllUnixSockets is null;

    public bool Limited => Mode?.Value == "limited";

    /// <summary>Every value's origin, in the order a reader meets them (for provenance).</summary>
    public IEnumerable<PolicyOrigin> Origins()
    {
        if (Enabled is not null) yield return Enabled.Origin;
        if (Mode is not null) yield return Mode.Origin;
        foreach (var d in Domains.Values) yield return d.Origin;
        if (AllowLocalBinding is not null) yield return AllowLocalBinding.Origin;
        foreach (var u in UnixSockets.Values) yield return u.Origin;
        if (AllowAllUnixSockets is not null) yield return AllowAllUnixSockets.Origin;
    }

    /// <summary><paramref name="child"/> merged over <paramref name="parent"/>; a new spec, the inputs unchanged.</summary>
    public static NetworkSpec Over(NetworkSpec parent, NetworkSpec child)
    {
        var merged = new NetworkSpec
        {
            Enabled = child.Enabled ?? parent.Enabled,
            Mode = child.Mode ?? parent.Mode,
            AllowLocalBinding = child.AllowLocalBinding ?? parent.AllowLocalBinding,
            AllowAllUnixSockets = child.AllowAllUnixSockets ?? parent.AllowAllUnixSockets,
        };
        foreach (var (k, v) in parent.Domains) merged.Domains[k] = v;
        foreach (var (k, v) in child.Domains) merged.Domains[k] = v;
        foreach (var (k, v) in parent.UnixSockets) merged.UnixSockets[k] = v;
        foreach (var (k, v) in child.UnixSockets) merged.UnixSockets[k] = v;
        return merged;
    }
}
