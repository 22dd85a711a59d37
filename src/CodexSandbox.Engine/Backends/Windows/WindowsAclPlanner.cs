namespace CodexSandbox.Engine.Backends.Windows;

/// <summary>
/// The ACL entries that make the writable roots writable for the capability SID and keep the protected
/// sub-paths read-only. NTFS names are case-insensitive (and per-folder case-sensitive in some setups), so
/// protected names are found by listing the parent folder and comparing with OrdinalIgnoreCase: every
/// existing spelling (<c>.git</c>, <c>.GIT</c>, <c>.GiT</c>…) gets its own deny entry. That closes the hole of
/// Codex smoke test #33, where only the exact spelling was protected.
/// </summary>
public static class WindowsAclPlanner
{
    public static readonly IReadOnlyList<string> ProtectedNames = [".git", ".codex", ".agents"];

    public const string CapabilityPrincipal = "workspace capability";

    /// <param name="listFolder">Lists a folder's children; null when the folder does not exist or cannot be read here.</param>
    public static AclPlanResult Plan(SandboxPolicy policy, string capabilitySid, Func<string, IReadOnlyList<DirectoryEntry>?> listFolder)
    {
        var entries = new List<AclEntry>();
        var unprotected = new List<string>();
        var unlisted = new List<string>();
        if (policy.SandboxMode != SandboxMode.WorkspaceWrite) return new AclPlanResult(entries, unprotected, unlisted);

        foreach (var root in policy.WritableRoots)
            entries.Add(new AclEntry(WindowsPath.Normalize(root.Path), CapabilityPrincipal, capabilitySid, WindowsAccess.AllowWrite, WindowsAccess.FolderInheritance,
                "writable root: read, write, execute, delete; no FILE_DELETE_CHILD or WRITE_DAC, so protected children cannot be renamed away or re-permissioned"));

        // Candidates: what the policy protects, plus the three names under every root whatever the policy's case-sensitive check found.
        var candidates = new List<string>();
        foreach (var root in policy.WritableRoots)
        {
            candidates.AddRange(root.ReadOnlySubpaths);
            candidates.AddRange(ProtectedNames.Select(n => WindowsPath.Join(WindowsPath.Normalize(root.Path), n)));
        }
        var planned = new HashSet<string>(StringComparer.Ordinal);
        var seenCandidates = new HashSet<string>(StringComparer.Ordinal);
        foreach (var candidate in candidates)
        {
            var normal = WindowsPath.Normalize(candidate);
            if (!seenCandidates.Add(WindowsPath.CanonicalKey(normal))) continue;
            // Outside every root nothing is granted, so no deny is needed, and the user's own ACLs stay untouched.
            if (!policy.WritableRoots.Any(r => WindowsPath.IsUnder(normal, r.Path))) continue;
            var parent = WindowsPath.Parent(normal);
            var name = WindowsPath.FileName(normal);
            var children = parent is null ? null : listFolder(parent);
            if (children is null && parent is not null && !unlisted.Contains(parent)) unlisted.Add(parent);
            var matches = children?.Where(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
            if (matches is null || matches.Count == 0)
            {
                unprotected.Add(normal);
                continue;
            }
            foreach (var match in matches)
            {
                var path = WindowsPath.Join(parent!, match.Name);
                if (!planned.Add(path)) continue;
                var spelling = match.Name == name ? "" : $" (spelled '{match.Name}'; names are compared ignoring case)";
                entries.Add(new AclEntry(path, CapabilityPrincipal, capabilitySid, WindowsAccess.DenyWrite,
                    match.IsDirectory ? WindowsAccess.FolderInheritance : WindowsAccess.NoInheritance,
                    $"protected path {name}{spelling}: a deny entry beats the inherited allow of the writable root"));
            }
        }

        entries.Add(new AclEntry("NUL", "Everyone", RestrictedTokenPlan.EveryoneSid, WindowsAccess.AllowWrite, WindowsAccess.NoInheritance,
            "the NUL device already lets Everyone write, and Everyone is a restricting SID; no change is made"));
        return new AclPlanResult(entries, unprotected, unlisted);
    }
}

/// <summary>
/// The planned entries; the protected paths that do not exist and so cannot carry a deny entry; the folders
/// that could not be listed here (a plan for Windows paths made on another machine).
/// </summary>
public sealed record AclPlanResult(IReadOnlyList<AclEntry> Entries, IReadOnlyList<string> MissingProtectedPaths, IReadOnlyList<string> UnlistedFolders);
