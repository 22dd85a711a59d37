using System.Text.RegularExpressions;
using CodexSandbox.Engine.Backends.Windows;

namespace CodexSandbox.Engine.Tests.Backends;

public sealed class WindowsPlannerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cs-win-plan-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    // A fake C:\ drive: folder → children.
    private static Func<string, IReadOnlyList<DirectoryEntry>?> Drive(Dictionary<string, DirectoryEntry[]> folders) =>
        folder => folders.TryGetValue(folder, out var children) ? children : null;

    private static SandboxPolicy Workspace(string root, NetworkMode network = NetworkMode.Off, params string[] protectedPaths) => new()
    {
        SandboxMode = SandboxMode.WorkspaceWrite,
        NetworkMode = network,
        WorkingDirectory = root,
        CodexHome = @"C:\Users\dev\.codex",
        WritableRoots = [new WritableRoot(root, protectedPaths)],
        Environment = new Dictionary<string, string> { ["Path"] = @"C:\Windows\system32", ["HTTP_PROXY"] = "http://corp:8080", ["NULLOUT"] = "/dev/null" },
    };

    [Fact]
    public void Done_when_plan_lists_allow_entries_for_roots_and_deny_entries_for_protected_paths()
    {
        var drive = Drive(new()
        {
            [@"C:\work\proj"] = [new(".git", true), new(".codex", true), new("src", true)],
            [@"C:\temp"] = [],
        });
        var policy = Workspace(@"C:\work\proj", NetworkMode.Off, @"C:\work\proj\.git", @"C:\work\proj\.codex") is var p
            ? new SandboxPolicy
            {
                SandboxMode = p.SandboxMode, NetworkMode = p.NetworkMode, WorkingDirectory = p.WorkingDirectory,
                WritableRoots = [.. p.WritableRoots, new WritableRoot(@"C:\temp", [])],
            }
            : throw new InvalidOperationException();
        var plan = new WindowsPlanner(new WindowsPlannerOptions { ListFolder = drive }).Plan(policy, ["cmd.exe", "/c", "echo hi"]);
        var sid = WindowsCapabilitySid.ForWorkspace(@"C:\work\proj", [@"C:\temp", @"C:\work\proj"]);
        var acl = plan.AclPlan!;
        Assert.Contains(acl, a => a.Path == @"C:\work\proj" && a.Access == "Allow Write" && a.Sid == sid && a.Inheritance == "ContainerInherit, ObjectInherit");
        Assert.Contains(acl, a => a.Path == @"C:\temp" && a.Access == "Allow Write" && a.Sid == sid);
        Assert.Contains(acl, a => a.Path == @"C:\work\proj\.git" && a.Access == "Deny Write" && a.Sid == sid);
        Assert.Contains(acl, a => a.Path == @"C:\work\proj\.codex" && a.Access == "Deny Write" && a.Sid == sid);
        Assert.Equal("windows-restricted-token", plan.Backend);
        Assert.Equal("cmd.exe", plan.Program);
        Assert.Equal(["/c", "echo hi"], plan.Arguments);
        Assert.Equal("windows", plan.EnvironmentChanges["CODEX_SANDBOX"]);
        Assert.Contains(plan.Notes, n => n == "Command line: cmd.exe /c \"echo hi\"");
        Assert.Contains(plan.NotEnforced, n => n.StartsWith("protected-paths: creating these missing", StringComparison.Ordinal) && n.Contains(@"C:\work\proj\.agents"));
    }

    [Fact]
    public void Every_existing_spelling_of_a_protected_name_gets_a_deny_entry()
    {
        // Linux folders are case-sensitive, like a Windows folder with the case-sensitivity flag: .git and .GiT are different folders.
        Directory.CreateDirectory(Path.Combine(_root, ".git"));
        Directory.CreateDirectory(Path.Combine(_root, ".GiT"));
        Directory.CreateDirectory(Path.Combine(_root, ".AGENTS"));
        File.WriteAllText(Path.Combine(_root, ".Codex"), "a file, not a folder");
        Directory.CreateDirectory(Path.Combine(_root, ".gitx"));
        var policy = Workspace(_root, NetworkMode.Off, Path.Combine(_root, ".git"));
        var plan = new WindowsPlanner().Plan(policy, ["git", "status"]);
        var denies = plan.AclPlan!.Where(a => a.Access == "Deny Write").ToDictionary(a => Path.GetFileName(a.Path), a => a.Inheritance);
        Assert.Equal(4, denies.Count);
        Assert.Equal("ContainerInherit, ObjectInherit", denies[".git"]);
        Assert.Equal("ContainerInherit, ObjectInherit", denies[".GiT"]);
        Assert.Equal("ContainerInherit, ObjectInherit", denies[".AGENTS"]);
        Assert.Equal("None", denies[".Codex"]);
        Assert.DoesNotContain(plan.NotEnforced, n => n.StartsWith("protected-paths: creating these missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Upper_case_spelling_on_a_windows_drive_is_protected()
    {
        var drive = Drive(new() { [@"C:\w"] = [new(".GIT", true)] });
        var plan = new WindowsPlanner(new WindowsPlannerOptions { ListFolder = drive }).Plan(Workspace(@"C:\w", NetworkMode.Off, @"C:\w\.git"), ["x"]);
        var deny = Assert.Single(plan.AclPlan!, a => a.Access == "Deny Write");
        Assert.Equal(@"C:\w\.GIT", deny.Path);
        Assert.Contains("ignoring case", deny.Reason);
    }

    [Fact]
    public void Read_only_grants_nothing()
    {
        var policy = new SandboxPolicy { SandboxMode = SandboxMode.ReadOnly, WorkingDirectory = @"C:\w", WritableRoots = [new WritableRoot(@"C:\w", [])] };
        var plan = new WindowsPlanner(new WindowsPlannerOptions { ListFolder = _ => [] }).Plan(policy, ["dir"]);
        Assert.DoesNotContain(plan.AclPlan!, a => a.Access == "Allow Write" && a.Sid != "S-1-1-0");
        Assert.DoesNotContain(plan.AclPlan!, a => a.Access == "Deny Write");
    }

    [Fact]
    public void Capability_sid_is_per_workspace_and_ignores_case_and_separators()
    {
        var a = WindowsCapabilitySid.ForWorkspace(@"C:\Work\Proj");
        Assert.Matches(new Regex(@"^S-1-5-21-\d+-\d+-\d+-\d+$"), a);
        Assert.Equal(a, WindowsCapabilitySid.ForWorkspace("c:/work/proj/"));
        Assert.Equal(a, WindowsCapabilitySid.ForWorkspace(@"C:\WORK\x\..\PROJ\."));
        Assert.NotEqual(a, WindowsCapabilitySid.ForWorkspace(@"C:\Work\Proj2"));
        Assert.NotEqual(a, WindowsCapabilitySid.ForWorkspace(@"D:\Work\Proj"));
    }

    [Fact]
    public void The_sid_changes_with_the_root_set_and_read_only_runs_get_a_sid_never_granted()
    {
        var ab = WindowsCapabilitySid.ForWorkspace(@"C:\w", [@"C:\w", @"D:\cache"]);
        Assert.Equal(ab, WindowsCapabilitySid.ForWorkspace(@"c:\W\", [@"d:/cache", @"C:\w"]));
        Assert.NotEqual(ab, WindowsCapabilitySid.ForWorkspace(@"C:\w", [@"C:\w"]));
        var (readOnly, readOnlyAcl) = new WindowsPlanner(new WindowsPlannerOptions { ListFolder = _ => [] })
            .Details(Workspace(@"C:\w") with { SandboxMode = SandboxMode.ReadOnly }, ["x"]);
        var (workspace, _) = new WindowsPlanner(new WindowsPlannerOptions { ListFolder = _ => [] }).Details(Workspace(@"C:\w"), ["x"]);
        Assert.Equal(WindowsCapabilitySid.ForReadOnly(@"C:\w"), readOnly.Token.CapabilitySid);
        Assert.NotEqual(workspace.Token.CapabilitySid, readOnly.Token.CapabilitySid);
        Assert.Empty(readOnlyAcl.Entries);
    }

    [Fact]
    public void Network_off_is_emulated_in_the_environment_and_reported_as_not_enforced()
    {
        var plan = new WindowsPlanner(new WindowsPlannerOptions { ListFolder = _ => [] }).Plan(Workspace(@"C:\w"), ["pip", "install", "x"]);
        var env = plan.EnvironmentChanges;
        Assert.Equal("1", env["SBX_NONET_ACTIVE"]);
        Assert.Equal("1", env["CODEX_SANDBOX_NETWORK_DISABLED"]);
        Assert.False(env.ContainsKey("HTTP_PROXY")); // already set by the user: kept, as Codex does
        Assert.Equal("http://127.0.0.1:9", env["HTTPS_PROXY"]);
        Assert.Equal("localhost,127.0.0.1,::1", env["NO_PROXY"]);
        Assert.Equal("1", env["PIP_NO_INDEX"]);
        Assert.Equal("true", env["NPM_CONFIG_OFFLINE"]);
        Assert.Equal("true", env["CARGO_NET_OFFLINE"]);
        Assert.Equal("cmd /c exit 1", env["GIT_SSH_COMMAND"]);
        Assert.Equal("", env["GIT_ALLOW_PROTOCOLS"]);
        Assert.Equal(@"C:\Users\dev\.codex\.sbx-denybin;C:\Windows\system32", env["PATH"]);
        Assert.Equal(".BAT;.CMD;.COM;.EXE", env["PATHEXT"]);
        Assert.Equal("NUL", env["NULLOUT"]);
        Assert.Equal("more.com", env["GIT_PAGER"]);
        Assert.Contains(plan.NotEnforced, n => n.StartsWith("network: off is only asked for through environment variables", StringComparison.Ordinal));
        Assert.DoesNotContain(plan.Enforced, n => n.StartsWith("network", StringComparison.Ordinal));
    }

    [Fact]
    public void Network_on_adds_no_offline_variables()
    {
        var plan = new WindowsPlanner(new WindowsPlannerOptions { ListFolder = _ => [] }).Plan(Workspace(@"C:\w", NetworkMode.On), ["x"]);
        Assert.False(plan.EnvironmentChanges.ContainsKey("SBX_NONET_ACTIVE"));
        Assert.False(plan.EnvironmentChanges.ContainsKey("PATH"));
    }

    [Fact]
    public void Allowlist_points_tools_at_the_proxy_but_says_it_is_not_enforced()
    {
        var plan = new WindowsPlanner(new WindowsPlannerOptions { ProxyPorts = [3128], ListFolder = _ => [] }).Plan(Workspace(@"C:\w", NetworkMode.Allowlist), ["x"]);
        Assert.Equal("http://127.0.0.1:3128", plan.EnvironmentChanges["HTTP_PROXY"]);
        Assert.False(plan.EnvironmentChanges.ContainsKey("SBX_NONET_ACTIVE"));
        Assert.Contains(plan.NotEnforced, n => n.StartsWith("network: allowlist", StringComparison.Ordinal));
    }

    [Fact]
    public void Job_object_carries_the_limits()
    {
        var job = JobObjectPlan.FromLimits(new ResourceLimits { MemoryMB = 512, MaxProcesses = 32, CpuSeconds = 10 });
        Assert.Equal(512UL * 1024 * 1024, job.JobMemoryLimitBytes);
        Assert.Equal(32U, job.ActiveProcessLimit);
        Assert.Equal(10 * TimeSpan.TicksPerSecond, job.JobUserTimeLimitTicks);
        Assert.Equal(0x2000U | 0x400 | 0x8 | 0x200 | 0x4, job.LimitFlags);
        var none = JobObjectPlan.FromLimits(new ResourceLimits());
        Assert.Equal(0x2000U | 0x400, none.LimitFlags); // kill on close always
    }

    [Fact]
    public void Token_is_write_restricted_lua_with_max_privileges_disabled()
    {
        var (details, _) = new WindowsPlanner(new WindowsPlannerOptions { ListFolder = _ => [] }).Details(Workspace(@"C:\w"), ["x"]);
        Assert.Equal(0x1U | 0x4 | 0x8, details.Token.Flags);
        Assert.Equal(WindowsCapabilitySid.ForWorkspace(@"C:\w", [@"C:\w"]), details.Token.RestrictingSids[0]);
        Assert.Equal("S-1-1-0", details.Token.RestrictingSids[2]);
        Assert.Equal(@"C:\Users\dev\.codex\.sbx-denybin", details.DenyBinDirectory);
    }

    [Fact]
    public void Writable_roots_cannot_delete_children_through_the_parent_or_change_acls()
    {
        Assert.Equal(0U, WindowsAccess.AllowWriteMask & WindowsAccess.FileDeleteChild);
        Assert.Equal(0U, WindowsAccess.AllowWriteMask & (WindowsAccess.WriteDac | WindowsAccess.WriteOwner));
        Assert.NotEqual(0U, WindowsAccess.AllowWriteMask & WindowsAccess.Delete);
        foreach (var right in new[] { WindowsAccess.FileWriteData, WindowsAccess.FileAppendData, WindowsAccess.Delete, WindowsAccess.FileDeleteChild, WindowsAccess.WriteDac })
            Assert.NotEqual(0U, WindowsAccess.DenyWriteMask & right);
    }

    [Fact]
    public void Danger_full_access_is_not_sandboxed()
    {
        var plan = new WindowsPlanner().Plan(new SandboxPolicy { SandboxMode = SandboxMode.DangerFullAccess }, ["x.exe", "a b"]);
        Assert.Equal("none", plan.Backend);
        Assert.Null(plan.AclPlan);
        Assert.Empty(plan.Enforced);
    }

    [Fact]
    public void Environment_block_is_sorted_ignoring_case_and_applies_removals()
    {
        var block = WindowsSandboxRunner_EnvironmentBlock(
            new Dictionary<string, string> { ["b"] = "2", ["A"] = "1", ["SECRET"] = "x" },
            new Dictionary<string, string?> { ["SECRET"] = null, ["c"] = "3" });
        Assert.Equal("A=1\0b=2\0c=3\0\0", block);
    }

    [Fact]
    public void Runner_refuses_to_run_off_windows()
    {
        var plan = new WindowsPlanner(new WindowsPlannerOptions { ListFolder = _ => [] }).Plan(Workspace(@"C:\w"), ["x"]);
#pragma warning disable CA1416 // deliberately calling the Windows-only runner on Linux
        Assert.Throws<PlatformNotSupportedException>(() => WindowsSandboxRunner.Run(plan, new Dictionary<string, string>(), null, 1024, null, CancellationToken.None));
#pragma warning restore CA1416
    }

#pragma warning disable CA1416 // a pure helper of the Windows-only runner
    private static string WindowsSandboxRunner_EnvironmentBlock(IReadOnlyDictionary<string, string> env, IReadOnlyDictionary<string, string?> changes) =>
        WindowsSandboxRunner.EnvironmentBlock(env, changes);
#pragma warning restore CA1416

    [Theory]
    [InlineData(@"C:\a\b\..\c\", @"C:\a\c")]
    [InlineData("c:/a//b", @"C:\a\b")]
    [InlineData(@"\\server\share\x\", @"\\server\share\x")]
    [InlineData("/home/u/./p/", "/home/u/p")]
    public void Normalizes_paths(string path, string expected) => Assert.Equal(expected, WindowsPath.Normalize(path));
}

public class WindowsAclScopeTests
{
    [Fact]
    public void A_gitdir_outside_every_root_gets_no_entry_and_unlisted_folders_are_noted()
    {
        var policy = new SandboxPolicy
        {
            SandboxMode = SandboxMode.WorkspaceWrite,
            WorkingDirectory = @"C:\wt",
            WritableRoots = [new WritableRoot(@"C:\wt", [@"C:\wt\.git", @"C:\repo\.git\worktrees\wt"])],
        };
        var listed = new List<string>();
        var plan = new WindowsPlanner(new WindowsPlannerOptions
        {
            ListFolder = f => { listed.Add(f); return f == @"C:\wt" ? [new DirectoryEntry(".git", false)] : null; },
        }).Plan(policy, ["git", "commit"]);
        Assert.DoesNotContain(plan.AclPlan!, a => a.Path.StartsWith(@"C:\repo", StringComparison.Ordinal));
        Assert.DoesNotContain(@"C:\repo\.git\worktrees", listed);
        Assert.Contains(plan.AclPlan!, a => a.Path == @"C:\wt\.git" && a.Access == "Deny Write" && a.Inheritance == "None");

        var offHost = new WindowsPlanner(new WindowsPlannerOptions { ListFolder = _ => null }).Plan(policy, ["git", "commit"]);
        Assert.Contains(offHost.Notes, n => n.Contains(@"could not be listed on this machine") && n.Contains(@"C:\wt"));
    }
}
