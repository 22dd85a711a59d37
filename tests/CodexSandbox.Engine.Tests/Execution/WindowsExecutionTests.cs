using CodexSandbox.Engine.Backends;
using CodexSandbox.Engine.Execution;
using CodexSandbox.Engine.Tests.Platforms;

namespace CodexSandbox.Engine.Tests.Execution;

/// <summary>What a Windows host is handed by the executor; starting it needs Windows, which this machine is not.</summary>
public sealed class WindowsExecutionTests
{
    private static readonly SandboxHost Windows = new() { Platform = TargetPlatform.Windows };

    private static RunRequest Request(SandboxMode mode, NetworkMode network = NetworkMode.Off) => new()
    {
        Policy = new SandboxPolicy
        {
            SandboxMode = mode,
            NetworkMode = network,
            WorkingDirectory = @"C:\work\proj",
            WritableRoots = mode == SandboxMode.WorkspaceWrite ? [new WritableRoot(@"C:\work\proj", [@"C:\work\proj\.git"])] : [],
            Environment = new Dictionary<string, string> { ["Path"] = @"C:\Windows\System32", ["PATHEXT"] = ".COM;.EXE" },
        },
        Argv = ["git", "commit", "-m", "two words"],
        CommandLine = "git commit -m 'two words'",
    };

    [Fact]
    public void The_plan_carries_the_token_job_acl_and_quoted_command_line()
    {
        using var run = SandboxExecutor.Plan(Request(SandboxMode.WorkspaceWrite), Windows);
        var launch = run.Plan;

        Assert.Equal("windows-restricted-token", launch.Backend);
        var details = Assert.IsType<WindowsLaunchDetails>(launch.HostActions.Windows);
        Assert.Equal("git commit -m \"two words\"", details.CommandLine);
        Assert.Contains(launch.AclPlan!, a => a.Path == @"C:\work\proj" && a.Access != CodexSandbox.Engine.Backends.Windows.WindowsAccess.DenyWrite);
        Assert.Equal("windows", launch.EnvironmentChanges["CODEX_SANDBOX"]);
        Assert.Contains(launch.NotEnforced, n => n.StartsWith("network: off is only asked for", StringComparison.Ordinal));
    }

    [PlatformFact(TestSystems.Linux | TestSystems.MacOS,
        "on Windows this call starts the command for real; tests/Invoke-SandboxedCommand.Platform.Tests.ps1 runs it there")]
    public void Running_the_windows_sandbox_elsewhere_fails_closed()
    {
        using var run = SandboxExecutor.Plan(Request(SandboxMode.ReadOnly), Windows);
        var e = Assert.Throws<SandboxUnavailableException>(() => SandboxExecutor.Run(run, null, CancellationToken.None));
        Assert.Contains("only be started on Windows", e.Message);
    }

    [Fact]
    public void Danger_full_access_has_no_windows_details()
    {
        using var run = SandboxExecutor.Plan(Request(SandboxMode.DangerFullAccess, NetworkMode.On), Windows);
        var launch = run.Plan;
        Assert.Equal("none", launch.Backend);
        Assert.Null(launch.HostActions.Windows);
        Assert.Equal("git", launch.Program);
    }

    [Fact]
    public void The_linux_backend_is_refused_without_a_linux_host()
    {
        var e = Assert.Throws<SandboxUnavailableException>(() =>
            SandboxExecutor.Plan(Request(SandboxMode.ReadOnly), new SandboxHost { Platform = TargetPlatform.Linux }));
        Assert.Contains("Linux", e.Message);
    }
}
