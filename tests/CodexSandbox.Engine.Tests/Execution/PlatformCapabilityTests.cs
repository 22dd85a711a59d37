using CodexSandbox.Engine.Backends;
using CodexSandbox.Engine.Execution;

namespace CodexSandbox.Engine.Tests.Execution;

/// <summary>Get-SandboxCapability on macOS and Windows: taken from the planners, honest about what is missing.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PlatformCapabilityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cxsb-cap-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Script(string name, string body)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Fact]
    public void Mac_with_a_working_sandbox_exec_reports_seatbelt_and_its_limits()
    {
        var exec = Script("sandbox-exec", "[ \"$1\" = -p ] && exit 0; exit 1");
        var cap = PlatformCapability.Describe(new SandboxHost { Platform = TargetPlatform.MacOS, SandboxExecPath = exec }, _dir);

        Assert.Equal("MacOS", cap.Platform);
        Assert.True(cap.SandboxExecWorks);
        Assert.Equal(exec, cap.SandboxExecPath);
        Assert.Equal("seatbelt", cap.Backend[SandboxMode.WorkspaceWrite]);
        Assert.Equal("none", cap.Backend[SandboxMode.DangerFullAccess]);
        Assert.Contains("network: off", cap.Protections[SandboxMode.ReadOnly]);
        Assert.Contains(cap.Protections[SandboxMode.WorkspaceWrite], p => p.StartsWith("protected-paths:", StringComparison.Ordinal));
        Assert.Contains(cap.Missing[SandboxMode.ReadOnly], m => m.StartsWith("read:", StringComparison.Ordinal));
    }

    [Fact]
    public void Mac_where_sandbox_exec_cannot_apply_a_profile_reports_every_sandboxed_mode_unavailable()
    {
        var exec = Script("sandbox-exec", "echo 'sandbox-exec: sandbox_apply: Operation not permitted' >&2; exit 71");
        var cap = PlatformCapability.Describe(new SandboxHost { Platform = TargetPlatform.MacOS, SandboxExecPath = exec }, _dir);

        Assert.False(cap.SandboxExecWorks);
        Assert.Equal("unavailable", cap.Backend[SandboxMode.ReadOnly]);
        Assert.Empty(cap.Protections[SandboxMode.WorkspaceWrite]);
        Assert.Contains("sandbox_apply: Operation not permitted", Assert.Single(cap.Missing[SandboxMode.ReadOnly]));
        Assert.Equal("none", cap.Backend[SandboxMode.DangerFullAccess]);
    }

    [Fact]
    public void Mac_without_sandbox_exec_says_so()
    {
        var cap = PlatformCapability.Describe(new SandboxHost { Platform = TargetPlatform.MacOS, SandboxExecPath = Path.Combine(_dir, "absent") }, _dir);
        Assert.Null(cap.SandboxExecPath);
        Assert.Contains("is missing", Assert.Single(cap.Missing[SandboxMode.WorkspaceWrite]));
    }

    [Fact]
    public void Windows_reports_the_network_and_read_protections_it_does_not_enforce()
    {
        var cap = PlatformCapability.Describe(new SandboxHost { Platform = TargetPlatform.Windows }, _dir);

        Assert.Equal("Windows", cap.Platform);
        Assert.Equal("windows-restricted-token", cap.Backend[SandboxMode.WorkspaceWrite]);
        Assert.Contains(cap.Missing[SandboxMode.ReadOnly], m => m.StartsWith("network: off is only asked for", StringComparison.Ordinal));
        Assert.Contains(cap.Missing[SandboxMode.ReadOnly], m => m.StartsWith("read:", StringComparison.Ordinal));
        Assert.Contains(cap.Notes, n => n.Contains("not been run on Windows", StringComparison.Ordinal));
    }
}
