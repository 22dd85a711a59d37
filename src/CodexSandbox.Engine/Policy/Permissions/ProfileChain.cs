using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Policy.Layers;

namespace CodexSandbox.Engine.Policy.Permissions;

/// <summary>
/// Finds a permission profile and resolves its <c>extends</c> chain (codex-config-2026.md §2.1, §2.4): the chain is merged
/// from the root parent down, each child over its parent; a built-in parent contributes its raw entries.
/// </summary>
internal static class ProfileChain
{
    public const string ReadOnly = ":read-only";
    public const string Workspace = ":workspace";
    public const string DangerFullAccess = ":danger-full-access";

    public static readonly IReadOnlyList<string> BuiltIns = [ReadOnly, Workspace, DangerFullAccess];

    /// <summary>The merged spec of <paramref name="id"/> and its chain, root parent first (null spec for :danger-full-access).</summary>
    /// <exception cref="ConfigException">An unknown built-in, an undefined profile or parent, a cycle, or an unsupported parent.</exception>
    public static (ProfileSpec? Spec, IReadOnlyList<string> Chain) Resolve(string id, IReadOnlyList<LayerSettings> layers, PolicyOrigin selectedBy)
    {
        if (id.StartsWith(':'))
        {
            if (id == DangerFullAccess) return (null, [id]);
            return (BuiltIn(id) ?? throw Error(selectedBy, "UnknownProfile", $"default_permissions refers to unknown built-in profile `{id}`"), [id]);
        }
        var defined = Defined(layers);
        if (!defined.ContainsKey(id)) throw Error(selectedBy, "UnknownProfile", $"default_permissions refers to undefined profile `{id}`");

        var chain = new List<string>();
        var specs = new List<ProfileSpec>();
        for (string? current = id; current is not null;)
        {
            if (chain.Contains(current))
            {
                throw Error(selectedBy, "ProfileCycle", $"permissions profile inheritance cycle detected: {string.Join(" -> ", chain)} -> {current}");
            }
            chain.Add(current);
            if (current.StartsWith(':'))
            {
                specs.Add(BuiltIn(current) ?? throw Error(specs[^1].Extends!.Origin, "UnsupportedParent",
                    $"permissions profile `{chain[^2]}` cannot extend unsupported built-in profile `{current}`; only `{ReadOnly}` and `{Workspace}` can be parents"));
                break;
            }
            if (!defined.TryGetValue(current, out var spec))
            {
                throw Error(specs[^1].Extends!.Origin, "UndefinedParent", $"permissions profile `{chain[^2]}` extends undefined profile `{current}`");
            }
            specs.Add(spec);
            current = spec.Extends?.Value;
        }
        chain.Reverse();
        specs.Reverse();
        var merged = specs[0];
        for (int i = 1; i < specs.Count; i++) merged = ProfileSpec.Over(merged, specs[i]);
        merged.Description = specs[^1].Description;
        return (merged, chain);
    }

    /// <summary>Every user-defined profile, each merged across the layers that define it (lowest first).</summary>
    public static Dictionary<string, ProfileSpec> Defined(IReadOnlyList<LayerSettings> layers)
    {
        var result = new Dictionary<string, ProfileSpec>(StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            foreach (var (id, table) in layer.Permissions)
            {
                var spec = ProfileSpecReader.Read(table);
                result[id] = result.TryGetValue(id, out var lower) ? ProfileSpec.Over(lower, spec) : spec;
            }
        }
        return result;
    }

    /// <summary>The raw entries of the built-ins that can be selected or extended.</summary>
    private static ProfileSpec? BuiltIn(string id)
    {
        var entries = id switch
        {
            ReadOnly => new[] { (":root", "read") },
            Workspace => [(":root", "read"), (":workspace_roots", "write"), (":slash_tmp", "write"), (":tmpdir", "write")],
            _ => null,
        };
        if (entries is null) return null;
        var spec = new ProfileSpec { HasFilesystemTable = true };
        foreach (var (path, access) in entries)
        {
            spec.Filesystem[path] = new FilesystemValue(new Sourced<string>(access,
                new PolicyOrigin($"permissions.{id}.filesystem.\"{path}\"", access, PolicySource.Default)), null);
        }
        return spec;
    }

    public static ConfigException Error(PolicyOrigin at, string id, string message) =>
        new([new ConfigDiagnostic(DiagnosticSeverity.Error, id, at.File ?? "", at.Line, 0, at.Setting, message)]);
}
