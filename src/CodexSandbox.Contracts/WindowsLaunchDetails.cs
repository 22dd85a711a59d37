namespace CodexSandbox;

/// <summary>
/// What the Windows runner sets up for a sandboxed run beyond the plan's program, arguments, ACL entries and environment
/// changes: the restricted token, the job object, the command line and the deny-bin folder.
/// </summary>
public sealed record WindowsLaunchDetails
{
    /// <summary>The argv joined as Windows programs split it again (quotes and backslashes escaped).</summary>
    public required string CommandLine { get; init; }
    public required string WorkingDirectory { get; init; }
    public required RestrictedTokenPlan Token { get; init; }
    public required JobObjectPlan Job { get; init; }
    /// <summary>Where the ssh/scp stubs go, or null when the network is not emulated offline.</summary>
    public string? DenyBinDirectory { get; init; }
}
