namespace CodexSandbox.Engine.Policy.Permissions;

/// <summary>
/// Maps compiled entries onto the enforcement today's modes already have (codex-config-2026.md §2.3, §2.5): the most
/// specific entry wins and, at equal depth, deny beats write beats read. Write entries become writable roots (with their
/// protected metadata), more specific read entries inside them read-only carve-outs, deny entries <c>deny_read</c>.
/// </summary>
internal static class ProfileMapper
{
    private static readonly string[] MetadataNames = [".git", ".codex", ".agents"];

    public static ProfilePolicy Map(string id, IReadOnlyList<string> chain, ProfileSpec spec, List<CompiledEntry> entries, List<string> warnings, string? tmpDir)
    {
        // one access per exact path: the strongest wins a tie
        var byPath = entries.Where(e => !e.IsGlob).GroupBy(e => e.Path, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(e => e.Access).First()).ToList();
        var globs = entries.Where(e => e.IsGlob).ToList();

        var shown = byPath.Concat(globs).OrderBy(e => e.Path, StringComparer.Ordinal)
            .Select(e => new FilesystemEntry(e.Path, e.Access.ToString().ToLowerInvariant(), e.Origin)).ToList();

        var root = byPath.FirstOrDefault(e => e.Path == "/");
        bool narrower = byPath.Any(e => e.Path != "/" && e.Access != FileAccess.Write) || globs.Count > 0;
        bool tmpWrite(string? token, string? path) => byPath.Any(e => e.Access == FileAccess.Write && (e.Token == token || (path is not null && e.Path == path && e.Token is null)));
        bool slashTmp = tmpWrite(":slash_tmp", "/tmp");
        bool tmpdir = tmpDir is not null && tmpWrite(":tmpdir", PathUtil(tmpDir));

        if (root?.Access == FileAccess.Write && !narrower)
        {
            return new ProfilePolicy
            {
                Id = id, Chain = chain, Description = spec.Description, Mode = SandboxMode.DangerFullAccess, WriteRoots = [], OpenedMetadata = [],
                DenyRead = [], SlashTmpWritable = true, TmpdirWritable = true, Network = spec.Network, Entries = shown, Warnings = warnings,
            };
        }

        // temp folders are the private ones (TempPlan); they are not roots of their own. An explicit "/tmp" (or $TMPDIR's
        // path) names the same folder as :slash_tmp (:tmpdir), so it is the private one too: sharing the host's stays the
        // opt-in [sandbox_linux] tmp = "shared".
        var tmpdirPath = tmpDir is null ? null : PathUtil(tmpDir);
        bool isTemp(CompiledEntry e) => e.Token is ":slash_tmp" or ":tmpdir" || (e.Token is null && (e.Path == "/tmp" || e.Path == tmpdirPath));
        var writes = byPath.Where(e => e.Access == FileAccess.Write && !isTemp(e)).ToList();
        var metadata = writes.Where(e => MetadataNames.Contains(Path.GetFileName(e.Path))).Select(e => e.Path).ToList();
        var roots = new List<(string, IReadOnlyList<string>)>();
        foreach (var w in writes.Where(e => !metadata.Contains(e.Path)))
        {
            var carveOuts = byPath.Where(e => e.Access == FileAccess.Read && Under(e.Path, w.Path)).Select(e => e.Path).ToList();
            roots.Add((w.Path, carveOuts));
        }
        // a metadata write inside a writable root opens it; elsewhere it is a root of its own
        foreach (var m in metadata.Where(m => !roots.Any(r => Under(m, r.Item1))))
        {
            roots.Add((m, []));
        }

        var deny = byPath.Where(e => e.Access == FileAccess.Deny).Select(e => e.Path).Concat(globs.Select(e => e.Path)).ToList();
        IReadOnlyList<string>? readable = root is null || root.Access == FileAccess.Deny
            ? byPath.Where(e => e.Access != FileAccess.Deny).Select(e => e.Path).ToList()
            : null;
        bool anyWrite = roots.Count > 0 || slashTmp || tmpdir;
        return new ProfilePolicy
        {
            Id = id, Chain = chain, Description = spec.Description,
            Mode = anyWrite ? SandboxMode.WorkspaceWrite : SandboxMode.ReadOnly,
            WriteRoots = roots, OpenedMetadata = metadata, DenyRead = deny, Readable = readable,
            SlashTmpWritable = slashTmp, TmpdirWritable = tmpdir, Network = spec.Network,
            Entries = shown, Warnings = warnings,
        };
    }

    /// <summary>The most specific exact entry at or above <paramref name="path"/>; a tie goes to the strongest access.</summary>
    public static CompiledEntry? Covering(IReadOnlyList<CompiledEntry> byPath, string path) =>
        byPath.Where(e => Under(path, e.Path)).OrderByDescending(e => e.Depth).ThenByDescending(e => e.Access).FirstOrDefault();

    /// <summary>True when <paramref name="path"/> is <paramref name="folder"/> or inside it, by whole components.</summary>
    public static bool Under(string path, string folder) =>
        folder == "/" || path == folder || path.StartsWith(folder + "/", StringComparison.Ordinal);

    private static string PathUtil(string path) => Engine.Configuration.PathUtil.Normalize(path);
}
