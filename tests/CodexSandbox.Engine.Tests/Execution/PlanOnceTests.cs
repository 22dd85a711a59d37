using System.Net.Sockets;
using CodexSandbox.Engine.Backends.Linux;
using CodexSandbox.Engine.Execution;

namespace CodexSandbox.Engine.Tests.Execution;

/// <summary>
/// A run is planned once and runs that plan: what the plan names at random or at bind time (the launcher-only layer's
/// private TMPDIR, the allowlist proxy's ports) is what the command gets, so a second planning inside the run would show.
/// A stand-in for the launcher skips its options and runs the command; the real launcher is tested elsewhere.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PlanOnceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cxsb-once-").FullName;
    private readonly string _work;
    private readonly SandboxHost _host;

    public PlanOnceTests()
    {
        _work = Directory.CreateDirectory(Path.Combine(_dir, "work")).FullName;
        // Beside the writable root, not above it: the module's folder must never lie in (or contain) a writable root.
        var launcher = Path.Combine(Directory.CreateDirectory(Path.Combine(_dir, "bin")).FullName, "codex-linux-sandbox");
        File.WriteAllText(launcher, "#!/bin/sh\nwhile [ \"$#\" -gt 0 ] && [ \"$1\" != \"--\" ]; do shift; done\nshift\nexec \"$@\"\n");
        File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _host = SandboxHost.ForLinux(new LinuxHost(7, true, new BwrapProbe.Result(null, null, false, "not installed"), launcher));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private RunRequest Request(NetworkMode network, params string[] argv)
    {
        var temp = CodexSandbox.Engine.Policy.TempPlan.Resolve(SandboxMode.WorkspaceWrite, false, false, false, new Dictionary<string, string>());
        return new RunRequest
        {
            Policy = new SandboxPolicy
            {
                SandboxMode = SandboxMode.WorkspaceWrite,
                NetworkMode = network,
                AllowedDomains = network == NetworkMode.Allowlist ? ["example.com"] : [],
                WorkingDirectory = _work,
                WritableRoots = [new WritableRoot(_work, [])],
                TempFolders = temp.Private,
                HiddenPaths = temp.Hidden,
                Environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" },
            },
            Argv = argv,
            CommandLine = string.Join(' ', argv),
        };
    }

    [Fact]
    public void The_private_folder_the_plan_names_is_the_one_the_command_gets()
    {
        using var run = SandboxExecutor.Plan(Request(NetworkMode.Off, "sh", "-c", "echo \"$TMPDIR\"; test -d \"$TMPDIR\""), _host);
        var folder = Assert.Single(run.Plan.HostActions.PrivateFolders);
        Assert.Equal(folder, run.Plan.EnvironmentChanges["TMPDIR"]);
        Assert.False(Directory.Exists(folder), "nothing is created while planning");

        var result = SandboxExecutor.Run(run, null, CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(folder + "\n", result.Stdout);
        Assert.Same(run.Plan, result.LaunchPlan);
        Assert.Equal(SandboxBackend.LinuxLauncher, result.Backend);
        Assert.False(Directory.Exists(folder), "the private folder is deleted after the run");
    }

    [Fact]
    public void In_allowlist_mode_the_plan_names_the_bound_proxy_and_the_command_uses_it()
    {
        using var run = SandboxExecutor.Plan(Request(NetworkMode.Allowlist, "sh", "-c", "echo \"$HTTP_PROXY $ALL_PROXY\""), _host);
        var proxy = Assert.IsType<ProxyEndpoints>(run.Plan.Proxy);
        Assert.True(proxy.Bound);
        var (http, socks) = (proxy.HttpPort!.Value, proxy.SocksPort!.Value);
        Assert.True(Listening(http), "the proxy listens while the plan waits to run");
        Assert.Equal(new[] { http, socks }.Order(), proxy.DirectPorts);
        Assert.Contains(http.ToString(System.Globalization.CultureInfo.InvariantCulture), run.Plan.Arguments);
        Assert.Equal($"http://127.0.0.1:{http}", run.Plan.EnvironmentChanges["HTTP_PROXY"]);

        var result = SandboxExecutor.Run(run, null, CancellationToken.None);

        Assert.Equal($"http://127.0.0.1:{http} socks5h://127.0.0.1:{socks}\n", result.Stdout);
        Assert.Contains(run.Plan.Enforced, e => e.Contains($"ports {string.Join(", ", proxy.DirectPorts)}", StringComparison.Ordinal));
        // The stand-in writes no status record, so the result claims none of the launcher's protections.
        Assert.Contains(result.NotEnforced, n => n.Contains("no status record", StringComparison.Ordinal));
        Assert.False(Listening(http), "the run releases its proxy when it ends");
    }

    [Fact]
    public void A_plan_that_is_never_run_releases_its_proxy()
    {
        int port;
        using (var run = SandboxExecutor.Plan(Request(NetworkMode.Allowlist, "true"), _host))
        {
            port = run.Plan.Proxy!.HttpPort!.Value;
            Assert.True(Listening(port));
        }
        Assert.False(Listening(port));
    }

    [Fact]
    public void A_plan_runs_once()
    {
        using var run = SandboxExecutor.Plan(Request(NetworkMode.Off, "true"), _host);
        Assert.Equal(0, SandboxExecutor.Run(run, null, CancellationToken.None).ExitCode);
        Assert.Throws<InvalidOperationException>(() => SandboxExecutor.Run(run, null, CancellationToken.None));

        var disposed = SandboxExecutor.Plan(Request(NetworkMode.Off, "true"), _host);
        disposed.Dispose();
        Assert.Throws<InvalidOperationException>(() => SandboxExecutor.Run(disposed, null, CancellationToken.None));
    }

    private static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
