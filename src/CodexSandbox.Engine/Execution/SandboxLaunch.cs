using CodexSandbox.Engine.Backends.Linux;
using CodexSandbox.Engine.Backends.Windows;

namespace CodexSandbox.Engine.Execution;

/// <summary>The exact start of one sandboxed run on the local platform, and what it will and will not enforce.</summary>
public sealed record SandboxLaunch
{
    public required TargetPlatform Platform { get; init; }
    /// <summary><c>linux-launcher</c>, <c>linux-bwrap+launcher</c>, <c>seatbelt</c>, <c>windows-restricted-token</c>, or <c>none</c>.</summary>
    public required string Backend { get; init; }
    public required string Program { get; init; }
    public required IReadOnlyList<string> Arguments { get; init; }
    public required IReadOnlyList<string> Enforced { get; init; }
    public required IReadOnlyList<string> NotEnforced { get; init; }
    /// <summary>Variables set for the command on top of the policy's environment; a null value removes one.</summary>
    public required IReadOnlyDictionary<string, string?> EnvironmentChanges { get; init; }
    /// <summary>Empty files bubblewrap creates on the host to mask missing protected paths; removed after the run.</summary>
    public IReadOnlyList<string> MaskFiles { get; init; } = [];
    /// <summary>Empty folders bubblewrap creates on the host to mask a missing .git; removed after the run.</summary>
    public IReadOnlyList<string> MaskDirectories { get; init; } = [];
    /// <summary>Per-run private folders (the launcher-only layer's TMPDIR): created before the run, deleted after it.</summary>
    public IReadOnlyList<string> PrivateFolders { get; init; } = [];
    /// <summary>The Seatbelt profile (macOS), also the value after <c>-p</c> in <see cref="Arguments"/>.</summary>
    public string? Profile { get; init; }
    /// <summary>What the Windows runner carries out: token, job, ACL entries, command line.</summary>
    public WindowsLaunchDetails? Windows { get; init; }

    public bool Sandboxed => Backend != "none";

    public static SandboxLaunch From(LinuxLaunch launch) => new()
    {
        Platform = TargetPlatform.Linux,
        Backend = launch.Backend,
        Program = launch.Program,
        Arguments = launch.Arguments,
        Enforced = launch.Enforced,
        NotEnforced = launch.NotEnforced,
        EnvironmentChanges = launch.EnvironmentAdded.ToDictionary(kv => kv.Key, kv => (string?)kv.Value, StringComparer.Ordinal),
        MaskFiles = launch.MaskFiles,
        MaskDirectories = launch.MaskDirectories,
        PrivateFolders = launch.PrivateFolders,
    };

    public static SandboxLaunch From(LaunchPlan plan, WindowsLaunchDetails? windows = null) => new()
    {
        Platform = plan.Platform,
        Backend = plan.Backend,
        Program = plan.Program,
        Arguments = plan.Arguments,
        Enforced = plan.Enforced,
        NotEnforced = plan.NotEnforced,
        EnvironmentChanges = plan.EnvironmentChanges,
        Profile = plan.Profile,
        Windows = windows,
    };
}
