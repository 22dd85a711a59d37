using CodexSandbox.Engine.Backends.MacOS;

namespace CodexSandbox.Engine.Tests.Backends;

public class SeatbeltPlannerTests
{
    private static readonly SeatbeltPlannerOptions Options = new() { ResolveSymlinks = false };

    private static SandboxPolicy WorkspaceWithGit(NetworkMode network = NetworkMode.Off) => new()
    {
        SandboxMode = SandboxMode.WorkspaceWrite,
        NetworkMode = network,
        WorkingDirectory = "/Users/dev/project",
        WritableRoots = [new WritableRoot("/Users/dev/project", ["/Users/dev/project/.git"])],
    };

    [Fact]
    public void Done_when_workspace_write_with_git_protected_and_network_off()
    {
        var plan = new SeatbeltPlanner(Options).Plan(WorkspaceWithGit(), ["git", "status"]);
        var profile = plan.Profile!;
        Assert.Contains("(deny default)", profile);
        Assert.Contains("(allow file-read*)", profile);
        Assert.Contains("(subpath (param \"WRITABLE_ROOT_0\"))", profile);
        Assert.Contains("(require-not (literal (param \"WRITABLE_ROOT_0_EXCLUDED_0\")))", profile);
        Assert.Contains("(require-not (subpath (param \"WRITABLE_ROOT_0_EXCLUDED_0\")))", profile);
        Assert.Contains("-DWRITABLE_ROOT_0=/Users/dev/project", plan.Arguments);
        Assert.Contains("-DWRITABLE_ROOT_0_EXCLUDED_0=/Users/dev/project/.git", plan.Arguments);
        Assert.DoesNotContain("network-outbound", profile);
        Assert.DoesNotContain("network-inbound", profile);
        Assert.DoesNotContain("network-bind", profile);
        Assert.Contains("network: off", plan.Enforced);
    }

    [Fact]
    public void Launches_sandbox_exec_by_absolute_path_with_parameters_then_the_command()
    {
        var plan = new SeatbeltPlanner(Options).Plan(WorkspaceWithGit(), ["ls", "-la", "/tmp"]);
        Assert.Equal("seatbelt", plan.Backend);
        Assert.Equal(TargetPlatform.MacOS, plan.Platform);
        Assert.Equal("/usr/bin/sandbox-exec", plan.Program);
        Assert.Equal("-p", plan.Arguments[0]);
        Assert.Equal(plan.Profile, plan.Arguments[1]);
        Assert.Equal(
            ["-DWRITABLE_ROOT_0=/Users/dev/project", "-DWRITABLE_ROOT_0_EXCLUDED_0=/Users/dev/project/.git", "--", "ls", "-la", "/tmp"],
            plan.Arguments.Skip(2));
        Assert.Equal("seatbelt", plan.EnvironmentChanges["CODEX_SANDBOX"]);
        Assert.Equal("1", plan.EnvironmentChanges["CODEX_SANDBOX_NETWORK_DISABLED"]);
    }

    [Fact]
    public void Paths_are_canonicalized_and_never_spliced_into_the_profile()
    {
        var policy = new SandboxPolicy
        {
            SandboxMode = SandboxMode.WorkspaceWrite,
            WorkingDirectory = "/tmp/w",
            WritableRoots = [new WritableRoot("/tmp/w\")) (allow file-write* (subpath \"/", []), new WritableRoot("/var/folders/q/", [])],
        };
        var plan = new SeatbeltPlanner(Options).Plan(policy, ["true"]);
        Assert.Contains("-DWRITABLE_ROOT_0=/private/tmp/w\")) (allow file-write* (subpath \"", plan.Arguments);
        Assert.Contains("-DWRITABLE_ROOT_1=/private/var/folders/q", plan.Arguments);
        Assert.DoesNotContain("/tmp/w", plan.Profile);
        Assert.DoesNotContain("(subpath \"/", plan.Profile);
    }

    [Fact]
    public void Read_only_ignores_writable_roots()
    {
        var policy = new SandboxPolicy { SandboxMode = SandboxMode.ReadOnly, WritableRoots = [new WritableRoot("/Users/dev/project", [])] };
        var plan = new SeatbeltPlanner(Options).Plan(policy, ["true"]);
        Assert.DoesNotContain("WRITABLE_ROOT", plan.Profile);
        Assert.DoesNotContain(plan.Arguments, a => a.StartsWith("-DWRITABLE_ROOT", StringComparison.Ordinal));
        Assert.DoesNotContain("(allow file-write*", plan.Profile!.Replace("(allow file-write* file-ioctl", "").Replace("(allow file-read* file-write*", ""));
    }

    [Fact]
    public void Allowlist_allows_only_the_proxy_ports_and_points_tools_at_the_proxy()
    {
        var planner = new SeatbeltPlanner(new SeatbeltPlannerOptions { ProxyPorts = [3128], ResolveSymlinks = false });
        var plan = planner.Plan(WorkspaceWithGit(NetworkMode.Allowlist), ["curl", "https://example.com"]);
        var outbound = plan.Profile!.Split('\n').Where(l => l.Contains("network-outbound")).ToList();
        Assert.Equal(["(allow network-outbound (remote ip \"localhost:3128\"))"], outbound);
        Assert.DoesNotContain("network-inbound", plan.Profile);
        Assert.Equal("http://127.0.0.1:3128", plan.EnvironmentChanges["HTTPS_PROXY"]);
        Assert.False(plan.EnvironmentChanges.ContainsKey("CODEX_SANDBOX_NETWORK_DISABLED"));
    }

    [Fact]
    public void Allowlist_without_proxy_ports_fails_closed()
    {
        var plan = new SeatbeltPlanner(Options).Plan(WorkspaceWithGit(NetworkMode.Allowlist), ["true"]);
        Assert.DoesNotContain("network-outbound", plan.Profile);
        Assert.Contains(plan.Enforced, e => e.Contains("fail closed"));
    }

    [Fact]
    public void Network_on_allows_outbound_and_inbound()
    {
        var plan = new SeatbeltPlanner(Options).Plan(WorkspaceWithGit(NetworkMode.On), ["true"]);
        Assert.Contains("(allow network-outbound)\n", plan.Profile);
        Assert.Contains("(allow network-inbound)\n", plan.Profile);
    }

    [Fact]
    public void Protected_path_in_another_root_is_excluded_from_that_root()
    {
        var policy = new SandboxPolicy
        {
            SandboxMode = SandboxMode.WorkspaceWrite,
            WritableRoots = [new WritableRoot("/w", ["/w/.git", "/other/gitdirs/w"]), new WritableRoot("/other", [])],
        };
        var plan = new SeatbeltPlanner(Options).Plan(policy, ["true"]);
        Assert.Contains("-DWRITABLE_ROOT_1_EXCLUDED_0=/other/gitdirs/w", plan.Arguments);
        Assert.DoesNotContain(plan.Arguments, a => a.StartsWith("-DWRITABLE_ROOT_0_EXCLUDED_1", StringComparison.Ordinal));
    }

    [Fact]
    public void Danger_full_access_runs_the_command_directly_and_says_nothing_is_enforced()
    {
        var plan = new SeatbeltPlanner(Options).Plan(new SandboxPolicy { SandboxMode = SandboxMode.DangerFullAccess }, ["make", "all"]);
        Assert.Equal("none", plan.Backend);
        Assert.Equal("make", plan.Program);
        Assert.Equal(["all"], plan.Arguments);
        Assert.Null(plan.Profile);
        Assert.Empty(plan.Enforced);
        Assert.NotEmpty(plan.NotEnforced);
    }

    [Theory]
    [InlineData(NetworkMode.On)]
    [InlineData(NetworkMode.Allowlist)]
    public void Network_support_keeps_tls_trust_without_a_user_cache_write(NetworkMode network)
    {
        // Codex dynamic_network_policy_allows_tls_without_darwin_user_cache_write (#21443): writing the user's cache
        // folder let a sandboxed command poison caches that programs outside the sandbox trust
        var policy = WorkspaceWithGit() with { NetworkMode = network };
        var plan = new SeatbeltPlanner(new SeatbeltPlannerOptions { ProxyPorts = [3128], ResolveSymlinks = false }).Plan(policy, ["true"]);
        Assert.Contains("(global-name \"com.apple.trustd.agent\")", plan.Profile);
        Assert.DoesNotContain("DARWIN_USER_CACHE_DIR", plan.Profile);
        Assert.DoesNotContain(plan.Arguments, a => a.Contains("DARWIN_USER_CACHE_DIR", StringComparison.Ordinal));
        Assert.DoesNotContain(plan.Notes, n => n.Contains("confstr", StringComparison.Ordinal));
    }

    [Fact]
    public void Cpu_files_and_file_size_are_set_by_ulimit_before_the_command_and_the_argv_stays_data()
    {
        var policy = WorkspaceWithGit() with { Limits = new ResourceLimits { CpuSeconds = 10, FileSizeMB = 1, MaxProcesses = 5 } };
        var plan = new SeatbeltPlanner(Options).Plan(policy, ["echo", "$(id)", "; rm -rf /"]);
        var tail = plan.Arguments.SkipWhile(a => a != "--").Skip(1).ToList();
        Assert.Equal(["/bin/sh", "-c", "ulimit -t 10 && ulimit -f 2048 && exec \"$@\"", "sh", "echo", "$(id)", "; rm -rf /"], tail);
        Assert.Contains(plan.Enforced, e => e.StartsWith("resource-limits: CPU 10 s, files up to 1 MB", StringComparison.Ordinal));
        Assert.Contains(plan.NotEnforced, n => n.StartsWith("resource-limits: process count", StringComparison.Ordinal));
        Assert.Equal(["echo", "x"], SeatbeltPlanner.WithLimits(new ResourceLimits { MemoryMB = 64 }, ["echo", "x"]));
    }

    [Theory]
    [InlineData(SandboxMode.ReadOnly)]
    [InlineData(SandboxMode.WorkspaceWrite)]
    public void A_process_left_running_after_the_run_is_reported_as_not_contained(SandboxMode mode)
    {
        // Checked for real on macOS by Invoke-SandboxedCommand.Platform.Tests.ps1 (a background sleep outlives the run).
        var plan = new SeatbeltPlanner(Options).Plan(WorkspaceWithGit() with { SandboxMode = mode }, ["true"]);
        Assert.Contains(plan.NotEnforced, n => n.StartsWith("process-lifetime: ", StringComparison.Ordinal));
        Assert.DoesNotContain(plan.Enforced, e => e.StartsWith("process-lifetime", StringComparison.Ordinal));
    }

    [Fact]
    public void Limits_are_reported_as_not_enforced()
    {
        var policy = new SandboxPolicy { SandboxMode = SandboxMode.ReadOnly, Limits = new ResourceLimits { MemoryMB = 512 } };
        var plan = new SeatbeltPlanner(Options).Plan(policy, ["true"]);
        Assert.Contains(plan.NotEnforced, n => n.StartsWith("resource-limits", StringComparison.Ordinal));
    }

    [Fact]
    public void Deny_read_adds_read_and_unlink_denials_for_written_and_canonical_forms()
    {
        var policy = GoldenPolicy("denyread");
        var profile = SeatbeltProfileBuilder.Build(policy, []).Text;
        Assert.Contains("(deny file-read* (regex #\"^/tmp/secrets/[^/]*(/.*)?$\"))", profile);
        Assert.Contains("(deny file-read* (regex #\"^/private/tmp/secrets/[^/]*(/.*)?$\"))", profile);
        Assert.Contains("(deny file-write-unlink (regex #\"^/Users/dev/\\.ssh(/.*)?$\"))", profile);
        // a relative entry is taken relative to the working directory
        Assert.Contains("(deny file-read* (regex #\"^/Users/dev/project/\\.env(/.*)?$\"))", profile);
        Assert.True(profile.IndexOf("(deny file-read*", StringComparison.Ordinal) > profile.IndexOf("(allow file-read*)", StringComparison.Ordinal));
    }

    private static SandboxPolicy GoldenPolicy(string protection) => SeatbeltGoldenTests.PolicyFor(SandboxMode.WorkspaceWrite, NetworkMode.Off, protection);
}

public class SeatbeltProfileShapeTests
{
    [Theory]
    [MemberData(nameof(SeatbeltGoldenTests.Cases), MemberType = typeof(SeatbeltGoldenTests))]
    public void Parentheses_balance_and_every_parameter_is_defined(string name, SandboxMode mode, NetworkMode network, string protection)
    {
        var policy = SeatbeltGoldenTests.PolicyFor(mode, network, protection);
        var plan = new SeatbeltPlanner(new SeatbeltPlannerOptions { ProxyPorts = name.Contains("noports") ? [] : [3128], ResolveSymlinks = false })
            .Plan(policy, ["true"]);
        var text = plan.Profile!;
        var depth = 0;
        var inString = false;
        foreach (var c in text)
        {
            if (c == '"') inString = !inString;
            if (inString) continue;
            if (c == '(') depth++;
            if (c == ')') depth--;
            Assert.True(depth >= 0, $"{name}: a ')' closes nothing");
        }
        Assert.False(inString, $"{name}: unterminated string");
        Assert.Equal(0, depth);
        var used = System.Text.RegularExpressions.Regex.Matches(text, "\\(param \"([A-Z0-9_]+)\"\\)").Select(m => m.Groups[1].Value).ToHashSet();
        var defined = plan.Arguments.Where(a => a.StartsWith("-D", StringComparison.Ordinal)).Select(a => a[2..a.IndexOf('=')]).ToHashSet();
        Assert.Subset(defined, used);
        Assert.Equal(defined.Count, plan.Arguments.Count(a => a.StartsWith("-D", StringComparison.Ordinal))); // no duplicates
        Assert.DoesNotContain("DARWIN_USER_CACHE_DIR", text);
    }
}

public sealed class MacPathResolveTests : IDisposable
{
    private readonly string _dir = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "macpath-" + Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Resolves_symlinks_in_every_component_and_keeps_a_missing_tail()
    {
        var real = Directory.CreateDirectory(Path.Combine(_dir, "real", "inner")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(_dir, "link"), "real"); // relative target
        Directory.CreateSymbolicLink(Path.Combine(_dir, "chain"), Path.Combine(_dir, "link"));
        // Resolved first, then mapped into /private as on a Mac (where /tmp itself is such a link).
        var expected = MacPath.Canonicalize(real);
        Assert.Equal(expected, MacPath.Resolve(Path.Combine(_dir, "link", "inner")));
        Assert.Equal(expected + "/not/yet", MacPath.Resolve(Path.Combine(_dir, "chain", "inner", "not", "yet")));
        Assert.Equal(expected, MacPath.Resolve(Path.Combine(_dir, "link", "inner", "..", "inner")));
        Assert.Equal(MacPath.Canonicalize(_dir) + "/plain", MacPath.Resolve(Path.Combine(_dir, "plain")));
    }

    private static SandboxPolicy Workspace() => new()
    {
        SandboxMode = SandboxMode.WorkspaceWrite,
        WorkingDirectory = "/Users/dev/project",
        WritableRoots = [new WritableRoot("/Users/dev/project", ["/Users/dev/project/.git"])],
    };

    [Fact]
    public void Unix_sockets_are_written_as_codex_writes_them_and_denied_ones_come_last()
    {
        var policy = Workspace() with { AllowedUnixSockets = ["/Users/dev/sockets"], DeniedUnixSockets = ["/Users/dev/sockets/admin.sock"] };
        var plan = new SeatbeltPlanner(new SeatbeltPlannerOptions { ResolveSymlinks = false }).Plan(policy, ["true"]);
        var profile = plan.Profile!;
        Assert.Contains("(allow system-socket (socket-domain AF_UNIX))", profile);
        Assert.Contains("(allow network-outbound (remote unix-socket (subpath (param \"UNIX_SOCKET_PATH_0\"))))", profile);
        Assert.Contains("(allow network-bind (local unix-socket (subpath (param \"UNIX_SOCKET_PATH_0\"))))", profile);
        Assert.True(profile.IndexOf("UNIX_SOCKET_DENIED_0", StringComparison.Ordinal) > profile.IndexOf("UNIX_SOCKET_PATH_0", StringComparison.Ordinal));
        Assert.Contains("(deny network-outbound (remote unix-socket (subpath (param \"UNIX_SOCKET_DENIED_0\"))))", profile);
        Assert.Contains("-DUNIX_SOCKET_PATH_0=/Users/dev/sockets", plan.Arguments);
        Assert.Contains("-DUNIX_SOCKET_DENIED_0=/Users/dev/sockets/admin.sock", plan.Arguments);
        Assert.Contains(plan.Enforced, e => e.StartsWith("unix-sockets: connects only to the allowed /Users/dev/sockets", StringComparison.Ordinal));
        Assert.DoesNotContain("unix-socket", new SeatbeltPlanner(new SeatbeltPlannerOptions { ResolveSymlinks = false }).Plan(Workspace(), ["true"]).Profile!);
    }

    [Fact]
    public void Allow_all_unix_sockets_opens_every_socket_and_is_reported()
    {
        var plan = new SeatbeltPlanner(new SeatbeltPlannerOptions { ResolveSymlinks = false }).Plan(Workspace() with { AllowAllUnixSockets = true }, ["true"]);
        Assert.Contains("(allow network-outbound (remote unix-socket))", plan.Profile!);
        Assert.Contains(plan.NotEnforced, n => n.Contains("dangerously_allow_all_unix_sockets"));
    }
}
