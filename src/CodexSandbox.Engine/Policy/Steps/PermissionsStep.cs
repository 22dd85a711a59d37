using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Policy.Layers;
using CodexSandbox.Engine.Policy.Permissions;

namespace CodexSandbox.Engine.Policy.Steps;

/// <summary>
/// Whether a permission profile or the legacy <c>sandbox_mode</c> applies (codex-config-2026.md §1), and the profile's
/// compiled form. Following Codex's code: the highest layer that sets either key decides, and a layer that sets both
/// selects the profile. <c>-SandboxMode</c> selects legacy and <c>-Permissions</c> a profile; both at once is an error.
/// </summary>
internal static class PermissionsStep
{
    /// <exception cref="ConfigException">Both parameters, profiles without <c>default_permissions</c>, or an invalid profile.</exception>
    public static ProfilePolicy? Resolve(Resolution r, LoadedConfig config, PolicyOverrides overrides, string workingDirectory)
    {
        if (overrides.Permissions is not null && overrides.SandboxMode is not null)
        {
            throw new ConfigException([new ConfigDiagnostic(DiagnosticSeverity.Error, "PermissionsAndSandboxMode", "", 0, 0, "default_permissions",
                "-SandboxMode and -Permissions cannot be given together: -SandboxMode selects a legacy mode, -Permissions a permission profile.")]);
        }
        // [allowed_permission_profiles] in requirements.toml forces profiles on: sandbox_mode no longer selects legacy
        var forced = config.Requirements is { AllowedPermissionProfiles: not null };
        Sourced<string>? selected = null;
        for (int i = r.Layers.Layers.Count - 1; i >= 0 && selected is null; i--)
        {
            var layer = r.Layers.Layers[i];
            if (layer.DefaultPermissions is { } chosen) selected = chosen;
            else if (layer.SandboxMode is not null && !forced) break;
        }
        var settings = RequirementsStep.WithManagedProfiles(config);
        if (forced) selected = RequirementsStep.ForcedProfile(r, config.Requirements!, selected, overrides);
        if (selected is null)
        {
            bool legacy = r.Layers.Pick(l => l.SandboxMode) is not null;
            if (!legacy && settings.FirstOrDefault(s => s.Permissions.Count > 0) is { } defining)
            {
                var table = defining.Permissions.Values.First();
                throw new ConfigException([new ConfigDiagnostic(DiagnosticSeverity.Error, "MissingDefaultPermissions", table.File.Path, 0, 0, "default_permissions",
                    "config defines `[permissions]` profiles but does not set `default_permissions`")]);
            }
            return null;
        }

        r.Track(selected);
        var (spec, chain) = ProfileChain.Resolve(selected.Value, settings, selected.Origin);
        var tmpDir = r.ParentEnvironment.TryGetValue("TMPDIR", out var t) && t.Length > 0 ? t : null;
        if (spec is null)
        {
            return new ProfilePolicy
            {
                Id = selected.Value, Chain = chain, Mode = SandboxMode.DangerFullAccess, WriteRoots = [], OpenedMetadata = [], DenyRead = [],
                SlashTmpWritable = true, TmpdirWritable = true, Entries = [], Warnings = [],
            };
        }
        var added = overrides.WritableRoots.Select(root => Path.GetFullPath(root, r.Request.WorkingDirectory)).ToList();
        var home = r.ParentEnvironment.TryGetValue("HOME", out var h) && h.Length > 0 ? h : r.Request.Home;
        var (entries, _, warnings) = ProfileCompiler.Compile(spec, new ProfileCompiler.Context(selected.Value, workingDirectory, added, home, tmpDir));
        foreach (var e in entries) r.Origins.Add(new PolicyOrigin($"{e.Origin.Setting} ({e.Path})", e.Access.ToString().ToLowerInvariant(),
            e.Origin.Source, e.Origin.File, e.Origin.Line, e.Origin.Profile));
        var mapped = ProfileMapper.Map(selected.Value, chain, spec, entries, warnings, tmpDir);
        r.Warnings.AddRange(warnings);
        return mapped;
    }

    /// <summary>The profile's writable roots, each with its protected metadata (unless a write entry opened it) and read carve-outs.</summary>
    public static IReadOnlyList<WritableRoot> Roots(Resolution r, ProfilePolicy profile, string workingDirectory, TempPlan temp, IReadOnlyList<string> alwaysReadOnly)
    {
        if (profile.Mode != SandboxMode.WorkspaceWrite) return [];
        var candidates = profile.WriteRoots.Select(w => (w.Path, w.ReadOnly, Why: $"permissions profile `{profile.Id}`")).ToList();
        candidates.AddRange(temp.SharedRoots.Select(s => (s.Path, (IReadOnlyList<string>)[], s.Why)));
        var roots = new List<WritableRoot>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var opened = profile.OpenedMetadata.Select(PathUtil.Canonical).Except(alwaysReadOnly).ToHashSet(StringComparer.Ordinal);
        foreach (var (path, readOnly, why) in candidates)
        {
            var canonical = PathUtil.Canonical(path);
            if (!Directory.Exists(canonical))
            {
                r.Warnings.Add($"Writable root '{path}' ({why}) does not exist and was skipped.");
                continue;
            }
            if (!seen.Add(canonical)) continue;
            var protectedPaths = ProtectedPaths.For(canonical, workingDirectory, alwaysReadOnly).Where(p => !opened.Contains(p));
            roots.Add(new WritableRoot(canonical, protectedPaths.Concat(readOnly.Select(PathUtil.Canonical)).Distinct(StringComparer.Ordinal).ToList()));
        }
        return roots;
    }
}
