using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Policy;
using CodexSandbox.Engine.Tests.Configuration;

namespace CodexSandbox.Engine.Tests.Policy;

/// <summary>
/// Permission profiles (codex-config-2026.md §1, §2): Codex's config_tests.rs and permissions_tests.rs cases, mapped onto
/// our policy (mode, writable roots with their protected paths, deny_read, private temp folders).
/// </summary>
public class PermissionProfileTests
{
    private static SandboxPolicy Resolve(TempTree t, PolicyOverrides? o = null, string? tmpdir = null)
    {
        var env = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["HOME"] = Path.Combine(t.Root, "home") };
        if (tmpdir is not null) env["TMPDIR"] = tmpdir;
        return PolicyResolver.Resolve(ConfigLoader.Load(t.Request()), o ?? new PolicyOverrides(), env);
    }

    private static string Error(TempTree t, PolicyOverrides? o = null) => Assert.Throws<ConfigException>(() => Resolve(t, o)).Errors.Single().Message;

    private static WritableRoot Root(SandboxPolicy p, string path) => p.WritableRoots.Single(r => r.Path == path);

    [Fact]
    public void DefaultPermissionsProfilePopulatesRuntimeSandboxPolicy()
    {
        // default_permissions_profile_populates_runtime_sandbox_policy: exact entries, workspace-write with both tmp
        // exclusions, .git not writable
        using var t = new TempTree();
        Directory.CreateDirectory(Path.Combine(t.Project, ".git"));
        var docs = t.Dir("work/proj/docs");
        t.UserConfig("default_permissions = \"edit\"\n[permissions.edit]\ndescription = \"edit the checkout\"\n[permissions.edit.filesystem]\n" +
                     "\":minimal\" = \"read\"\n\"~/.ssh\" = \"deny\"\n[permissions.edit.filesystem.\":workspace_roots\"]\n\".\" = \"write\"\n\"docs\" = \"read\"\n");
        var p = Resolve(t);
        Assert.Equal(("edit", SandboxMode.WorkspaceWrite, "edit the checkout"), (p.Permissions, p.SandboxMode, p.PermissionsDescription));
        Assert.Equal(["edit"], p.PermissionsChain);
        var root = Assert.Single(p.WritableRoots);
        Assert.Equal(t.Project, root.Path);
        Assert.Contains(Path.Combine(t.Project, ".git"), root.ReadOnlySubpaths);
        Assert.Contains(docs, root.ReadOnlySubpaths);
        Assert.Contains(Path.Combine(t.Root, "home", ".ssh"), p.DenyRead);
        Assert.All(p.TempFolders, f => Assert.False(f.Writable));
        var ssh = p.FilesystemEntries.Single(e => e.Path == Path.Combine(t.Root, "home", ".ssh"));
        Assert.Equal(("deny", t.CodexHome + "/config.toml", 6), (ssh.Access, ssh.Origin.File, ssh.Origin.Line));
        Assert.Contains(p.FilesystemEntries, e => e.Path == "/usr" && e.Access == "read");
        Assert.NotNull(p.ReadableRoots);
    }

    [Theory]
    [InlineData("[permissions.a.filesystem]\n\":root\" = \"read\"\n", "config defines `[permissions]` profiles but does not set `default_permissions`")]
    [InlineData("default_permissions = \":danger-no-sandbox\"\n", "default_permissions refers to unknown built-in profile `:danger-no-sandbox`")]
    [InlineData("default_permissions = \":nope\"\n", "default_permissions refers to unknown built-in profile `:nope`")]
    [InlineData("default_permissions = \"x\"\n", "default_permissions refers to undefined profile `x`")]
    [InlineData("default_permissions = \"w\"\n[permissions.\":w\".filesystem]\n\":root\" = \"read\"\n", "permissions profile `:w` uses a reserved built-in profile prefix")]
    [InlineData("default_permissions = \"a\"\n[permissions.a.filesystem.\":minimal\"]\n\".\" = \"read\"\n", "filesystem path `:minimal` does not support nested entries")]
    [InlineData("default_permissions = \"a\"\n[permissions.a.filesystem.\":workspace_roots\"]\n\"../x\" = \"read\"\n", "filesystem subpath `../x` must be a descendant path without `.` or `..` components")]
    [InlineData("default_permissions = \"a\"\n[permissions.a.filesystem]\n\"rel/x\" = \"read\"\n", "filesystem path `rel/x` must be absolute, use `~/...`, or start with `:`")]
    [InlineData("default_permissions = \"a\"\n[permissions.a]\nextends = \"p\"\n", "permissions profile `a` extends undefined profile `p`")]
    [InlineData("default_permissions = \"a\"\n[permissions.a]\nextends = \":danger-full-access\"\n", "permissions profile `a` cannot extend unsupported built-in profile `:danger-full-access`")]
    [InlineData("default_permissions = \"a\"\n[permissions.a]\nextends = \"b\"\n[permissions.b]\nextends = \"a\"\n", "permissions profile inheritance cycle detected: a -> b -> a")]
    [InlineData("default_permissions = \"a\"\n[permissions.a.filesystem]\n\"/src/*.c\" = \"read\"\n", "filesystem glob path `/src/*.c` only supports `deny` access")]
    [InlineData("default_permissions = \"a\"\n[permissions.a.filesystem]\nglob_scan_max_depth = 0\n", "glob_scan_max_depth must be at least 1")]
    public void InvalidProfilesAreErrorsWithCodexText(string toml, string message)
    {
        using var t = new TempTree();
        t.UserConfig(toml);
        Assert.StartsWith(message, Error(t));
    }

    [Fact]
    public void BuiltinWorkspaceWithoutTableMakesTheCwdWritableButNotGit()
    {
        // default_permissions_can_select_builtin_profile_without_permissions_table
        using var t = new TempTree();
        Directory.CreateDirectory(Path.Combine(t.Project, ".git"));
        t.UserConfig("default_permissions = \":workspace\"\n");
        var p = Resolve(t);
        Assert.Equal(SandboxMode.WorkspaceWrite, p.SandboxMode);
        Assert.Contains(Path.Combine(t.Project, ".git"), Root(p, t.Project).ReadOnlySubpaths);
        Assert.Contains(Path.Combine(t.Project, ".codex"), Root(p, t.Project).ReadOnlySubpaths);
        Assert.Contains(p.TempFolders, f => f.Path == "/tmp" && f.Writable);
        Assert.Null(p.ReadableRoots);
        Assert.Equal(NetworkMode.Off, p.NetworkMode);
    }

    [Fact]
    public void ExplicitBuiltinWorkspaceIgnoresLegacyWorkspaceWriteSettings()
    {
        // explicit_builtin_workspace_profile_ignores_legacy_workspace_write_settings
        using var t = new TempTree();
        var extra = t.Dir("extra");
        t.UserConfig($"default_permissions = \":workspace\"\n[sandbox_workspace_write]\nwritable_roots = [\"{extra}\"]\nnetwork_access = true\nexclude_slash_tmp = true\n");
        var p = Resolve(t);
        Assert.DoesNotContain(p.WritableRoots, r => r.Path == extra);
        Assert.Equal(NetworkMode.Off, p.NetworkMode);
        Assert.Contains(p.TempFolders, f => f.Path == "/tmp" && f.Writable);
    }

    [Fact]
    public void ProfileCanExtendBuiltinWorkspace()
    {
        // default_permissions_profile_can_extend_builtin_workspace: /tmp stays writable, a child `:tmpdir = read` replaces
        // the inherited write, network on
        using var t = new TempTree();
        var tmpdir = t.Dir("tmpdir");
        t.UserConfig("default_permissions = \"dev\"\n[permissions.dev]\nextends = \":workspace\"\n[permissions.dev.filesystem]\n\":tmpdir\" = \"read\"\n[permissions.dev.network]\nenabled = true\n");
        var p = Resolve(t, tmpdir: tmpdir);
        Assert.Equal([":workspace", "dev"], p.PermissionsChain);
        Assert.Contains(p.TempFolders, f => f.Path == "/tmp" && f.Writable);
        Assert.Contains(p.TempFolders, f => f.Path == tmpdir && !f.Writable);
        Assert.Equal(NetworkMode.On, p.NetworkMode);
        Assert.Equal(SandboxMode.WorkspaceWrite, p.SandboxMode);
        // -NetworkAccess still wins
        Assert.Equal(NetworkMode.Off, Resolve(t, new PolicyOverrides { NetworkAccess = false }, tmpdir).NetworkMode);
    }

    [Fact]
    public void AnExplicitSlashTmpWriteEntryIsThePrivateTmpNotAHostRoot()
    {
        // "/tmp" names the same folder as :slash_tmp, and :slash_tmp is the run's private /tmp: the host's is shared only
        // with [sandbox_linux] tmp = "shared"
        using var t = new TempTree();
        var tmpdir = t.Dir("tmpdir");
        t.UserConfig($"default_permissions = \"p\"\n[permissions.p.filesystem]\n\":minimal\" = \"read\"\n\"/tmp\" = \"write\"\n\"{tmpdir}\" = \"write\"\n");
        var p = Resolve(t, tmpdir: tmpdir);
        Assert.Equal(SandboxMode.WorkspaceWrite, p.SandboxMode);
        Assert.Empty(p.WritableRoots);
        Assert.Contains(p.TempFolders, f => f.Path == "/tmp" && f.Writable);
        Assert.Contains(p.TempFolders, f => f.Path == tmpdir && f.Writable);
        Assert.Contains("/tmp", p.HiddenPaths);
        Assert.Contains("/tmp", p.ReadableRoots!);

        t.UserConfig("default_permissions = \"p\"\n[permissions.p.filesystem]\n\":minimal\" = \"read\"\n\"/tmp\" = \"write\"\n[sandbox_linux]\ntmp = \"shared\"\n");
        var shared = Resolve(t, tmpdir: tmpdir);
        Assert.Equal(["/tmp"], shared.WritableRoots.Select(r => r.Path));
        Assert.Empty(shared.HiddenPaths);
    }

    [Fact]
    public void ProfileCanExtendBuiltinReadOnly()
    {
        using var t = new TempTree();
        var out1 = t.Dir("out");
        t.UserConfig($"default_permissions = \"ro\"\n[permissions.ro]\nextends = \":read-only\"\n[permissions.ro.filesystem]\n\"{out1}\" = \"write\"\n");
        var p = Resolve(t);
        Assert.Equal(SandboxMode.WorkspaceWrite, p.SandboxMode);
        Assert.Equal([out1], p.WritableRoots.Select(r => r.Path));
        Assert.Null(p.ReadableRoots);

        t.UserConfig("default_permissions = \":read-only\"\n");
        var ro = Resolve(t);
        Assert.Equal((SandboxMode.ReadOnly, 0), (ro.SandboxMode, ro.WritableRoots.Count));
    }

    [Fact]
    public void ExtendsResolvesParentFirstWithChildOverrides()
    {
        // permissions_profiles_resolve_extends_parent_first_with_child_overrides
        using var t = new TempTree();
        var a = t.Dir("a");
        var b = t.Dir("b");
        t.UserConfig($"default_permissions = \"child\"\n[permissions.base.filesystem]\n\":root\" = \"read\"\n\"{a}\" = \"write\"\n\"{b}\" = \"write\"\n" +
                     $"[permissions.child]\nextends = \"base\"\n[permissions.child.filesystem]\n\"{b}\" = \"read\"\n");
        var p = Resolve(t);
        Assert.Equal(["base", "child"], p.PermissionsChain);
        Assert.Equal([a], p.WritableRoots.Select(r => r.Path));
        Assert.Equal(9, p.FilesystemEntries.Single(e => e.Path == b).Origin.Line);
    }

    [Fact]
    public void MostSpecificEntryWinsAndDenyBeatsWriteBeatsReadAtEqualDepth()
    {
        // resolve_access_with_cwd_uses_most_specific_entry, file_system_access_mode_orders_by_conflict_precedence
        using var t = new TempTree();
        var src = t.Dir("work/proj/src");
        var secret = t.Dir("work/proj/secret");
        // the same path twice is not valid TOML: the tie is a plain entry and a scoped one for one path
        t.UserConfig($"default_permissions = \"p\"\n[permissions.p.filesystem]\n\":root\" = \"read\"\n\"{src}\" = \"read\"\n\"{secret}\" = \"deny\"\n" +
                     $"[permissions.p.filesystem.\":workspace_roots\"]\n\".\" = \"write\"\n\"secret\" = \"write\"\n");
        var p = Resolve(t);
        var root = Root(p, t.Project);
        Assert.Contains(src, root.ReadOnlySubpaths);
        Assert.Contains(secret, p.DenyRead);
        Assert.DoesNotContain(p.WritableRoots, r => r.Path == secret);
        Assert.Equal("deny", p.FilesystemEntries.Single(e => e.Path == secret).Access);
    }

    [Fact]
    public void ExplicitWriteMayOpenGitButNeverCodexHome()
    {
        using var t = new TempTree();
        Directory.CreateDirectory(Path.Combine(t.Project, ".git"));
        t.UserConfig($"default_permissions = \"p\"\n[permissions.p]\nextends = \":workspace\"\n[permissions.p.filesystem]\n" +
                     $"\"{t.Project}/.git\" = \"write\"\n\"{t.CodexHome}\" = \"write\"\n");
        var p = Resolve(t);
        var root = Root(p, t.Project);
        Assert.DoesNotContain(Path.Combine(t.Project, ".git"), root.ReadOnlySubpaths);
        Assert.Contains(Path.Combine(t.Project, ".codex"), root.ReadOnlySubpaths);
        Assert.Contains(t.CodexHome, p.AlwaysReadOnly);
        Assert.All(p.WritableRoots.Where(r => r.Path == t.CodexHome), r => Assert.Contains(t.CodexHome, r.ReadOnlySubpaths));
    }

    [Fact]
    public void WorkspaceRootGlobDenyIsExpandedForEveryWorkspaceRoot()
    {
        // workspace_root_glob_none_compiles_to_filesystem_pattern_entry
        using var t = new TempTree();
        var extra = t.Dir("extra");
        t.UserConfig($"default_permissions = \"p\"\n[permissions.p.workspace_roots]\n\"{extra}\" = true\n[permissions.p.filesystem]\n\":root\" = \"read\"\nglob_scan_max_depth = 3\n" +
                     "[permissions.p.filesystem.\":workspace_roots\"]\n\".\" = \"write\"\n\"**/*.env\" = \"none\"\n");
        var p = Resolve(t);
        Assert.Contains($"{t.Project}/**/*.env", p.DenyRead);
        Assert.Contains($"{extra}/**/*.env", p.DenyRead);
        Assert.Equal(new[] { t.Project, extra }.Order(), p.WritableRoots.Select(r => r.Path).Order());
        Assert.DoesNotContain(p.Warnings, w => w.Contains("glob_scan_max_depth", StringComparison.Ordinal));
    }

    [Fact]
    public void TrailingGlobStarOnReadWriteCompilesAsTheSubtree()
    {
        // read_write_trailing_glob_suffix_compiles_as_subpath
        using var t = new TempTree();
        var data = t.Dir("data");
        t.UserConfig($"default_permissions = \"p\"\n[permissions.p.filesystem]\n\":root\" = \"read\"\n\"{data}/**\" = \"write\"\n\"/x/**/*.pem\" = \"deny\"\n");
        var p = Resolve(t);
        Assert.Equal([data], p.WritableRoots.Select(r => r.Path));
        Assert.Contains(p.Warnings, w => w.Contains("glob_scan_max_depth", StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownSpecialPathsWarnAndMissingFilesystemStaysRestricted()
    {
        // permissions_profiles_allow_unknown_special_paths, permissions_profiles_allow_missing_filesystem_with_warning
        using var t = new TempTree();
        t.UserConfig("default_permissions = \"p\"\n[permissions.p.filesystem]\n\":project_roots\" = \"write\"\n");
        var p = Resolve(t);
        Assert.Contains(p.Warnings, w => w.StartsWith("Configured filesystem path `:project_roots` is not recognized by this version of Codex and will be ignored", StringComparison.Ordinal));
        Assert.Contains(p.Warnings, w => w.StartsWith("Permissions profile `p` does not define any recognized filesystem entries", StringComparison.Ordinal));
        Assert.Equal(SandboxMode.ReadOnly, p.SandboxMode);
        Assert.Equal([], p.ReadableRoots);
    }

    [Fact]
    public void RootWriteWithoutNarrowerEntriesIsFullAccess()
    {
        using var t = new TempTree();
        t.UserConfig("default_permissions = \"all\"\n[permissions.all.filesystem]\n\":root\" = \"write\"\n");
        Assert.Equal(SandboxMode.DangerFullAccess, Resolve(t).SandboxMode);
        t.UserConfig("default_permissions = \":danger-full-access\"\n");
        var p = Resolve(t);
        Assert.Equal((SandboxMode.DangerFullAccess, NetworkMode.On), (p.SandboxMode, p.NetworkMode));
    }

    [Fact]
    public void TheLastLayerThatSetsEitherKeyDecidesAndParametersToo()
    {
        using var t = new TempTree();
        Directory.CreateDirectory(Path.Combine(t.Project, ".git"));
        t.SystemConfig("default_permissions = \":workspace\"\n");
        t.UserConfig("sandbox_mode = \"read-only\"\n");
        var legacy = Resolve(t);
        Assert.Equal((SandboxMode.ReadOnly, (string?)null), (legacy.SandboxMode, legacy.Permissions));
        // one layer with both: profiles win
        t.UserConfig("sandbox_mode = \"read-only\"\ndefault_permissions = \":workspace\"\n");
        Assert.Equal(":workspace", Resolve(t).Permissions);
        // -SandboxMode selects legacy, -Permissions a profile, both is an error
        Assert.Null(Resolve(t, new PolicyOverrides { SandboxMode = SandboxMode.ReadOnly }).Permissions);
        t.UserConfig("sandbox_mode = \"read-only\"\n");
        Assert.Equal(":workspace", Resolve(t, new PolicyOverrides { Permissions = ":workspace" }).Permissions);
        Assert.StartsWith("-SandboxMode and -Permissions cannot be given together",
            Error(t, new PolicyOverrides { Permissions = ":workspace", SandboxMode = SandboxMode.ReadOnly }));
    }

    [Fact]
    public void EmptyConfigKeepsTheImplicitBuiltinOfTheTrustDecision()
    {
        // empty_config_defaults_to_builtin_profile_for_trusted_project: the implicit :workspace is today's workspace-write
        using var t = new TempTree();
        t.UserConfig("");
        t.Trust();
        var p = Resolve(t);
        Assert.Equal((SandboxMode.WorkspaceWrite, (string?)null), (p.SandboxMode, p.Permissions));
    }
}
