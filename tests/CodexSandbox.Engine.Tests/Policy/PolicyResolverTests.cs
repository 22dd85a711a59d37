using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Policy;
using CodexSandbox.Engine.Tests.Configuration;

namespace CodexSandbox.Engine.Tests.Policy;

public class PolicyResolverTests
{
    private static readonly Dictionary<string, string> NoEnv = new() { ["PATH"] = "/usr/bin:/bin" };

    private static SandboxPolicy Resolve(TempTree t, PolicyOverrides? o = null, IReadOnlyDictionary<string, string>? env = null, string? cwd = null) =>
        PolicyResolver.Resolve(ConfigLoader.Load(t.Request(cwd)), o ?? new PolicyOverrides(), env ?? new Dictionary<string, string>(NoEnv) { ["HOME"] = Path.Combine(t.Root, "home") });

    [Theory]
    [InlineData(null, SandboxMode.ReadOnly, ApprovalPolicy.OnRequest)]
    [InlineData("trusted", SandboxMode.WorkspaceWrite, ApprovalPolicy.OnRequest)]
    [InlineData("untrusted", SandboxMode.WorkspaceWrite, ApprovalPolicy.Untrusted)]
    public void DefaultsDependOnTrust(string? trust, SandboxMode mode, ApprovalPolicy approval)
    {
        using var t = new TempTree();
        t.UserConfig("");
        if (trust is not null) t.Trust(trust);
        var p = Resolve(t);
        Assert.Equal((mode, approval), (p.SandboxMode, p.ApprovalPolicy));
        Assert.Equal(trust, p.TrustLevel);
        Assert.Contains(p.Provenance, o => o.Setting == "sandbox_mode" && o.Source == PolicySource.Default);
    }

    [Fact]
    public void ParametersBeatProfileBeatsLayers()
    {
        using var t = new TempTree();
        t.UserConfig("sandbox_mode = \"read-only\"\napproval_policy = \"untrusted\"\nprofile = \"ci\"\n[profiles.ci]\nsandbox_mode = \"workspace-write\"\napproval_policy = \"never\"\n");
        var fromProfile = Resolve(t);
        Assert.Equal((SandboxMode.WorkspaceWrite, ApprovalPolicy.Never, "ci"), (fromProfile.SandboxMode, fromProfile.ApprovalPolicy, fromProfile.Profile));
        var origin = fromProfile.Provenance.Single(o => o.Setting == "sandbox_mode");
        Assert.Equal((PolicySource.Profile, "ci", 5), (origin.Source, origin.Profile, origin.Line));

        var fromParam = Resolve(t, new PolicyOverrides { SandboxMode = SandboxMode.DangerFullAccess });
        Assert.Equal(SandboxMode.DangerFullAccess, fromParam.SandboxMode);
        Assert.Equal(PolicySource.Parameter, fromParam.Provenance.Single(o => o.Setting == "sandbox_mode").Source);
        Assert.Equal(ApprovalPolicy.Never, fromParam.ApprovalPolicy);
    }

    [Fact]
    public void ProfileParameterBeatsProfileKeyAndUnknownProfileFails()
    {
        using var t = new TempTree();
        t.UserConfig("profile = \"a\"\n[profiles.a]\napproval_policy = \"never\"\n[profiles.b]\napproval_policy = \"untrusted\"\n");
        Assert.Equal(ApprovalPolicy.Untrusted, Resolve(t, new PolicyOverrides { Profile = "b" }).ApprovalPolicy);
        var e = Assert.Throws<ProfileNotFoundException>(() => Resolve(t, new PolicyOverrides { Profile = "c" }));
        Assert.Contains("a, b", e.Message);
    }

    [Fact]
    public void ErrorsInAnyLayerStopResolution()
    {
        using var t = new TempTree();
        t.SystemConfig("sandbox_mode = \"sometimes\"\n");
        t.UserConfig("approval_policy = \"never\"\n");
        var e = Assert.Throws<ConfigException>(() => Resolve(t));
        Assert.False(e.IsSyntaxError);
        Assert.Contains("accepted values", e.Message);
        Assert.Contains(":1:", e.Message);
    }

    [Fact]
    public void SharedTmpMakesTheHostTempFoldersRootsInTheCodexOrderWithTheExcludeFlags()
    {
        using var t = new TempTree();
        var extra = t.Dir("extra");
        var tmpdir = t.Dir("tmpdir");
        var env = new Dictionary<string, string>(NoEnv) { ["TMPDIR"] = tmpdir };
        t.UserConfig($"sandbox_mode = \"workspace-write\"\n[sandbox_linux]\ntmp = \"shared\"\n[sandbox_workspace_write]\nwritable_roots = [\"{extra}\", \"{t.Root}/missing\"]\n");
        var p = Resolve(t, env: env);
        Assert.Equal([extra, t.Project, "/tmp", tmpdir], p.WritableRoots.Select(r => r.Path));
        Assert.Contains(p.Warnings, w => w.Contains("missing") && w.Contains("skipped"));
        Assert.True(p.SharedTmp);
        Assert.Empty(p.TempFolders);
        Assert.Empty(p.HiddenPaths);
        Assert.Contains(p.Provenance, o => o.Setting == "sandbox_linux.tmp");

        t.UserConfig($"sandbox_mode = \"workspace-write\"\n[sandbox_linux]\ntmp = \"shared\"\n[sandbox_workspace_write]\nexclude_slash_tmp = true\nexclude_tmpdir_env_var = true\n");
        Assert.Equal([t.Project], Resolve(t, env: env).WritableRoots.Select(r => r.Path));
    }

    [Fact]
    public void ByDefaultTheHostTempFoldersArePrivateAndHiddenNotRoots()
    {
        using var t = new TempTree();
        var tmpdir = t.Dir("tmpdir");
        var runtime = t.Dir("run-user");
        var env = new Dictionary<string, string>(NoEnv) { ["TMPDIR"] = tmpdir, ["XDG_RUNTIME_DIR"] = runtime };
        t.UserConfig("sandbox_mode = \"workspace-write\"\n");
        var p = Resolve(t, env: env);
        Assert.Equal([t.Project], p.WritableRoots.Select(r => r.Path));
        Assert.False(p.SharedTmp);
        Assert.Equal([("/tmp", "/tmp", true), (tmpdir, "$TMPDIR", true)], p.TempFolders.Select(f => (f.Path, f.Name, f.Writable)));
        Assert.Equal(["/tmp", "/var/tmp", tmpdir, runtime], p.HiddenPaths);

        // The exclude flags keep their meaning: the private folders become read-only.
        t.UserConfig("sandbox_mode = \"workspace-write\"\n[sandbox_workspace_write]\nexclude_slash_tmp = true\nexclude_tmpdir_env_var = true\n");
        Assert.All(Resolve(t, env: env).TempFolders, f => Assert.False(f.Writable));
        t.UserConfig("sandbox_mode = \"workspace-write\"\n[sandbox_workspace_write]\nexclude_slash_tmp = true\n");
        Assert.Equal([false, true], Resolve(t, env: env).TempFolders.Select(f => f.Writable));

        // Read-only: still private and hidden, nothing writable.
        var ro = Resolve(t, new PolicyOverrides { SandboxMode = SandboxMode.ReadOnly }, env: env);
        Assert.All(ro.TempFolders, f => Assert.False(f.Writable));
        Assert.Contains("/tmp", ro.HiddenPaths);
    }

    [Fact]
    public void TmpdirThatIsSlashTmpIsOneFolderWritableIfEitherFlagAllows()
    {
        using var t = new TempTree();
        var env = new Dictionary<string, string>(NoEnv) { ["TMPDIR"] = "/tmp" };
        t.UserConfig("sandbox_mode = \"workspace-write\"\n[sandbox_workspace_write]\nexclude_slash_tmp = true\n");
        var p = Resolve(t, env: env);
        var only = Assert.Single(p.TempFolders);
        Assert.True(only.Writable);
        Assert.Equal(["/tmp", "/var/tmp"], p.HiddenPaths);
    }

    [Fact]
    public void WritableRootParameterAddsAndIsIgnoredInReadOnly()
    {
        using var t = new TempTree();
        var extra = t.Dir("extra");
        t.UserConfig("sandbox_mode = \"workspace-write\"\n[sandbox_workspace_write]\nexclude_slash_tmp = true\n");
        var p = Resolve(t, new PolicyOverrides { WritableRoots = [extra] });
        Assert.Equal([extra, t.Project], p.WritableRoots.Select(r => r.Path));

        var ro = Resolve(t, new PolicyOverrides { SandboxMode = SandboxMode.ReadOnly, WritableRoots = [extra] });
        Assert.Empty(ro.WritableRoots);
        Assert.Contains(ro.Warnings, w => w.Contains("-WritableRoot is ignored"));
    }

    [Fact]
    public void NetworkFollowsModeConfigAndParameter()
    {
        using var t = new TempTree();
        t.UserConfig("[sandbox_workspace_write]\nnetwork_access = true\n");
        Assert.Equal(NetworkMode.Off, Resolve(t).NetworkMode); // read-only: the workspace-write key does not apply
        Assert.Equal(NetworkMode.On, Resolve(t, new PolicyOverrides { SandboxMode = SandboxMode.WorkspaceWrite }).NetworkMode);
        Assert.Equal(NetworkMode.Off, Resolve(t, new PolicyOverrides { SandboxMode = SandboxMode.WorkspaceWrite, NetworkAccess = false }).NetworkMode);
        Assert.Equal(NetworkMode.On, Resolve(t, new PolicyOverrides { NetworkAccess = true }).NetworkMode);
        Assert.True(Resolve(t, new PolicyOverrides { SandboxMode = SandboxMode.DangerFullAccess }).NetworkAccess);
    }

    [Fact]
    public void LimitsAuditLinuxAndDenyReadAreResolvedWithProvenance()
    {
        using var t = new TempTree();
        t.UserConfig("log_dir = \"/var/log/cx\"\ndeny_read = [\"/etc/shadow\"]\n[sandbox_limits]\ncpu_seconds = 3\nmemory_mb = 512\ntimeout_sec = 7\n[sandbox_audit]\nretention_days = 5\nrequired = true\n[sandbox_linux]\nnamespaces = \"required\"\n");
        var p = Resolve(t);
        Assert.Equal((3L, 512L, 7), (p.Limits.CpuSeconds!.Value, p.Limits.MemoryMB!.Value, p.Limits.TimeoutSec!.Value));
        Assert.Null(p.Limits.MaxProcesses);
        Assert.Equal(ResourceLimits.DefaultOutputMaxBytes, p.Limits.OutputMaxBytes);
        Assert.Equal("/var/log/cx/sandbox-audit.jsonl", p.Audit.Path);
        Assert.Equal((5, true, true), (p.Audit.RetentionDays, p.Audit.Required, p.Audit.Enabled));
        Assert.Equal(NamespaceRequirement.Required, p.LinuxNamespaces);
        Assert.Equal(["/etc/shadow"], p.DenyRead);
        var cpu = p.Provenance.Single(o => o.Setting == "sandbox_limits.cpu_seconds");
        Assert.Equal((PolicySource.User, 4), (cpu.Source, cpu.Line));
        Assert.Equal("3", cpu.Value);
    }

    [Fact]
    public void AuditDefaultsToTheCodexLogFolder()
    {
        using var t = new TempTree();
        var p = Resolve(t);
        Assert.Equal(Path.Combine(t.CodexHome, "log", "sandbox-audit.jsonl"), p.Audit.Path);
    }

    [Fact]
    public void UntrustedProjectFilesAreNamedInWarnings()
    {
        using var t = new TempTree();
        Directory.CreateDirectory(Path.Combine(t.Project, ".git"));
        t.Write("work/proj/.codex/config.toml", "sandbox_mode = \"danger-full-access\"\n");
        var p = Resolve(t);
        Assert.Equal(SandboxMode.ReadOnly, p.SandboxMode);
        Assert.Contains(p.Warnings, w => w.Contains(".codex/config.toml was not loaded"));
    }
}

public class NetworkAndRollbackSettingsTests
{
    [Fact]
    public void SandboxNetworkTableSetsModeListsAndPorts()
    {
        using var t = new TempTree();
        t.UserConfig("[sandbox_network]\nmode = \"allowlist\"\nallowed_domains = [\"*.npmjs.org\"]\ndenied_domains = [\"evil.test\"]\nallowed_ports = [5432]\nallow_local_binding = true\n[sandbox_rollback]\ncheckpoint = \"always\"\nmax_snapshot_mb = 5\n");
        var p = PolicyResolver.Resolve(ConfigLoader.Load(t.Request()), new PolicyOverrides(), new Dictionary<string, string>());
        Assert.Equal(NetworkMode.Allowlist, p.NetworkMode);
        Assert.True(p.NetworkAccess);
        Assert.Equal(["*.npmjs.org"], p.AllowedDomains);
        Assert.Equal(["evil.test"], p.DeniedDomains);
        Assert.Equal([5432], p.AllowedPorts);
        Assert.True(p.AllowLocalBinding);
        Assert.Equal((CheckpointMode.Always, 5L), (p.Checkpoint, p.MaxSnapshotMB));
        Assert.Equal(NetworkMode.Off, PolicyResolver.Resolve(ConfigLoader.Load(t.Request()), new PolicyOverrides { NetworkAccess = false }, new Dictionary<string, string>()).NetworkMode);
    }

    [Theory]
    [InlineData("[sandbox_network]\nallowed_ports = [0]", "OutOfRange")]
    [InlineData("[sandbox_network]\nallowed_ports = [\"80\"]", "WrongType")]
    [InlineData("[sandbox_network]\nmode = \"some\"", "UnknownValue")]
    [InlineData("[sandbox_rollback]\ncheckpoint = \"sometimes\"", "UnknownValue")]
    public void BadNetworkAndRollbackValuesAreErrors(string toml, string id)
    {
        var s = LayerReader.Read(ConfigFile.Parse("/c.toml", toml), PolicySource.User, "/h");
        Assert.Equal(id, Assert.Single(s.Diagnostics).Id);
    }
}

public class HostPatternDiagnosticsTests
{
    [Theory]
    [InlineData("allowed_domains = [\"*\"]", "BareWildcard", "sandbox_network.allowed_domains")]
    [InlineData("denied_domains = [\"evil.test:443\"]", "PortInHost", "sandbox_network.denied_domains")]
    [InlineData("allowed_domains = [\"https://x.test\"]", "SchemeInHost", "sandbox_network.allowed_domains")]
    public void BadHostPatternsAreErrorsAtTheirLine(string line, string id, string key)
    {
        var s = LayerReader.Read(ConfigFile.Parse("/c.toml", "[sandbox_network]\nmode = \"allowlist\"\n" + line + "\n"), PolicySource.User, "/h");
        var d = Assert.Single(s.Diagnostics);
        Assert.Equal((id, key, 3), (d.Id, d.Key, d.Line));
    }
}
