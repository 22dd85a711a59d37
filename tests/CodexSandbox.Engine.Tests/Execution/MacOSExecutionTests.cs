using CodexSandbox.Engine.Backends;
using CodexSandbox.Engine.Backends.MacOS;
using CodexSandbox.Engine.Execution;

namespace CodexSandbox.Engine.Tests.Execution;

/// <summary>
/// The macOS run path (plan, environment, program lookup, output, exit code, proxy) driven on Linux through a
/// stand-in for sandbox-exec that records what it was given and then runs the command. Seatbelt's own
/// enforcement can only be tested on a Mac; these tests prove what CodexSandbox hands to it.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class MacOSExecutionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cxsb-mac-").FullName;
    private readonly string _work;
    private readonly string _fake;

    public MacOSExecutionTests()
    {
        _work = Directory.CreateDirectory(Path.Combine(_dir, "work")).FullName;
        _fake = Path.Combine(_dir, "sandbox-exec");
        // Records the profile and the -D parameters, checks the argument shape sandbox-exec expects, then runs argv.
        File.WriteAllText(_fake, """
            #!/bin/sh
            log="$(dirname "$0")"
            [ "$1" = "-p" ] || { echo "sandbox-exec: expected -p first" >&2; exit 64; }
            printf '%s' "$2" > "$log/profile.sb"; shift 2
            : > "$log/params"
            while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do printf '%s\n' "$1" >> "$log/params"; shift; done
            [ "$1" = "--" ] || { echo "sandbox-exec: no -- before the command" >&2; exit 64; }
            shift
            exec "$@"
            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        File.SetUnixFileMode(_fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private SandboxHost Host(string? sandboxExec = null) =>
        new() { Platform = TargetPlatform.MacOS, SandboxExecPath = sandboxExec ?? _fake };

    private SandboxPolicy Policy(SandboxMode mode = SandboxMode.WorkspaceWrite, NetworkMode network = NetworkMode.Off) => new()
    {
        SandboxMode = mode,
        NetworkMode = network,
        WorkingDirectory = _work,
        WritableRoots = mode == SandboxMode.WorkspaceWrite ? [new WritableRoot(_work, [Path.Combine(_work, ".git")])] : [],
        Environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["KEEP"] = "kept" },
    };

    private static RunRequest Request(SandboxPolicy policy, params string[] argv) => new() { Policy = policy, Argv = argv, CommandLine = string.Join(' ', argv) };

    private static SandboxResult Run(RunRequest request, SandboxHost host)
    {
        using var run = SandboxExecutor.Plan(request, host);
        return SandboxExecutor.Run(run, null, CancellationToken.None);
    }

    [Fact]
    public void Runs_the_command_under_sandbox_exec_with_the_generated_profile_and_parameters()
    {
        var result = Run(Request(Policy(), "sh", "-c", "echo out; echo err >&2; exit 3"), Host());

        Assert.Equal("seatbelt", result.Backend);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("out\n", result.Stdout);
        Assert.Equal("err\n", result.Stderr);
        var profile = File.ReadAllText(Path.Combine(_dir, "profile.sb"));
        Assert.Contains("(deny default)", profile);
        Assert.Contains("(require-not (subpath (param \"WRITABLE_ROOT_0_EXCLUDED_0\")))", profile);
        var parameters = File.ReadAllLines(Path.Combine(_dir, "params"));
        // Canonicalized as on a Mac (/tmp becomes /private/tmp).
        Assert.Contains($"-DWRITABLE_ROOT_0={MacPath.Canonicalize(_work)}", parameters);
        Assert.Contains($"-DWRITABLE_ROOT_0_EXCLUDED_0={MacPath.Canonicalize(Path.Combine(_work, ".git"))}", parameters);
        Assert.DoesNotContain(parameters, p => p.Contains("DARWIN_USER_CACHE_DIR", StringComparison.Ordinal));
        Assert.Contains("network: off", result.Enforcement);
    }

    [Fact]
    public void The_command_gets_the_policy_environment_and_the_seatbelt_markers()
    {
        var result = Run(Request(Policy(), "env"), Host());

        var env = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("CODEX_SANDBOX=seatbelt", env);
        Assert.Contains("CODEX_SANDBOX_NETWORK_DISABLED=1", env);
        Assert.Contains("KEEP=kept", env);
        Assert.DoesNotContain(env, e => e.StartsWith("HOME=", StringComparison.Ordinal));
    }

    [Fact]
    public void Runs_in_the_policy_working_directory()
    {
        var result = Run(Request(Policy(), "pwd"), Host());
        Assert.Equal(_work + "\n", result.Stdout);
    }

    [Fact]
    public void A_program_missing_from_the_policy_path_is_reported_before_anything_starts()
    {
        var e = Assert.Throws<ProgramNotFoundException>(() =>
            Run(Request(Policy(), "no-such-program-xyz"), Host()));
        Assert.Equal("no-such-program-xyz", e.Program);
        Assert.False(File.Exists(Path.Combine(_dir, "profile.sb")));
    }

    [Fact]
    public void A_missing_sandbox_exec_fails_closed()
    {
        var e = Assert.Throws<SandboxUnavailableException>(() =>
            Run(Request(Policy(), "true"), Host(sandboxExec: Path.Combine(_dir, "absent"))));
        Assert.Contains("missing", e.Message);
        Assert.Contains("DangerFullAccess", e.Remedy);
    }

    [Fact]
    public void The_user_cache_folder_is_not_needed_any_more()
    {
        // the profile no longer writes DARWIN_USER_CACHE_DIR (Codex #21443), so nothing reads it and nothing is refused for it
        using var run = SandboxExecutor.Plan(Request(Policy(), "true"), Host());
        Assert.DoesNotContain(run.Plan.Arguments, a => a.Contains("DARWIN_USER_CACHE_DIR", StringComparison.Ordinal));
    }

    [Fact]
    public void Danger_full_access_runs_the_command_directly()
    {
        var result = Run(Request(Policy(SandboxMode.DangerFullAccess, NetworkMode.On), "sh", "-c", "echo direct"), Host(sandboxExec: Path.Combine(_dir, "absent")));
        Assert.Equal("none", result.Backend);
        Assert.Equal("direct\n", result.Stdout);
    }

    [Fact]
    public void An_approved_escalation_runs_without_sandbox_exec()
    {
        var request = Request(Policy(), "sh", "-c", "echo $CODEX_SANDBOX") with { Unsandboxed = true };
        var result = Run(request, Host());
        Assert.Equal("none", result.Backend);
        Assert.True(result.Escalated);
        Assert.Equal("\n", result.Stdout);
        Assert.False(File.Exists(Path.Combine(_dir, "profile.sb")));
    }

    [Fact]
    public void Allowlist_mode_starts_the_proxy_and_allows_only_its_ports_in_the_profile()
    {
        var policy = Policy(network: NetworkMode.Allowlist) with { AllowedDomains = ["example.com"] };
        var result = Run(Request(policy, "sh", "-c", "echo $HTTP_PROXY"), Host());

        var proxy = new Uri(result.Stdout.Trim());
        Assert.Equal("127.0.0.1", proxy.Host);
        var profile = File.ReadAllText(Path.Combine(_dir, "profile.sb"));
        Assert.Contains($"localhost:{proxy.Port}", profile);
        Assert.Contains(result.Enforcement, e => e.StartsWith("network: only the loopback proxy", StringComparison.Ordinal));
    }

    [Fact]
    public void The_run_carries_out_the_plan_it_showed_profile_parameters_and_proxy_ports()
    {
        var policy = Policy(network: NetworkMode.Allowlist) with { AllowedDomains = ["example.com"] };
        using var run = SandboxExecutor.Plan(Request(policy, "sh", "-c", "echo $HTTP_PROXY"), Host());
        var plan = run.Plan;
        Assert.True(plan.Proxy!.Bound);
        Assert.Contains($"localhost:{plan.Proxy.HttpPort}", plan.Profile);

        var result = SandboxExecutor.Run(run, null, CancellationToken.None);

        Assert.Equal(plan.Profile, File.ReadAllText(Path.Combine(_dir, "profile.sb")));
        var parameters = plan.Arguments.SkipWhile(a => !a.StartsWith("-D", StringComparison.Ordinal)).TakeWhile(a => a != "--");
        Assert.Equal(parameters, File.ReadAllLines(Path.Combine(_dir, "params")));
        Assert.Equal($"http://127.0.0.1:{plan.Proxy.HttpPort}\n", result.Stdout);
        Assert.Same(plan, result.LaunchPlan);
    }

    [Fact]
    public void A_timeout_ends_the_run_with_the_timeout_exit_code()
    {
        var request = Request(Policy(), "sleep", "30") with { Timeout = TimeSpan.FromMilliseconds(300) };
        var result = Run(request, Host());
        Assert.True(result.TimedOut);
        Assert.Equal(124, result.ExitCode);
    }

    [Fact]
    public void The_plan_names_the_profile_so_whatif_can_show_it()
    {
        using var run = SandboxExecutor.Plan(Request(Policy(), "true"), Host());
        var launch = run.Plan;
        Assert.Equal(TargetPlatform.MacOS, launch.Platform);
        Assert.Equal(_fake, launch.Program);
        Assert.Same(launch.Profile, launch.Arguments[1]);
        Assert.Equal("seatbelt", launch.EnvironmentChanges["CODEX_SANDBOX"]);
    }

    [Fact]
    public void Resource_limits_are_set_inside_the_sandbox_before_the_command_starts()
    {
        var policy = Policy() with { Limits = new ResourceLimits { CpuSeconds = 7, OpenFiles = 33, FileSizeMB = 2 } };
        var result = Run(Request(policy, "sh", "-c", "ulimit -t; ulimit -n; ulimit -f"), Host());

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["7", "33", "4096"], result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(result.Enforcement, e => e.StartsWith("resource-limits: CPU 7 s, 33 open files, files up to 2 MB", StringComparison.Ordinal));
    }

    [Fact]
    public void A_limit_that_cannot_be_set_stops_the_command()
    {
        var marker = Path.Combine(_work, "ran");
        var policy = Policy() with { Limits = new ResourceLimits { OpenFiles = 1L << 40 } };
        var result = Run(Request(policy, "touch", marker), Host());

        Assert.NotEqual(0, result.ExitCode);
        Assert.False(File.Exists(marker));
    }
}
