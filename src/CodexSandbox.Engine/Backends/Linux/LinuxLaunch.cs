namespace CodexSandbox.Engine.Backends.Linux;

/// <summary>The exact command line for one sandboxed run on Linux, and what it will and will not enforce.</summary>
public sealed record LinuxLaunch
{
    public required string Program { get; init; }
    public required IReadOnlyList<string> Arguments { get; init; }
    /// <summary><c>linux-bwrap</c>, <c>linux-launcher</c> or <c>none</c>.</summary>
    public required string Backend { get; init; }
    public required IReadOnlyList<string> Enforced { get; init; }
    public required IReadOnlyList<string> NotEnforced { get; init; }
    /// <summary>Empty files bubblewrap creates on the host to mask missing protected paths; removed after the run.</summary>
    public IReadOnlyList<string> MaskFiles { get; init; } = [];
    /// <summary>Empty folders bubblewrap creates on the host to mask missing protected paths (a missing .git); removed after the run.</summary>
    public IReadOnlyList<string> MaskDirectories { get; init; } = [];
    /// <summary>Per-run private folders (the launcher-only layer's TMPDIR): created before the run, deleted after it.</summary>
    public IReadOnlyList<string> PrivateFolders { get; init; } = [];
    /// <summary>Variables added to the policy's environment (CODEX_SANDBOX, CODEX_SANDBOX_NETWORK_DISABLED).</summary>
    public required IReadOnlyDictionary<string, string> EnvironmentAdded { get; init; }
}
