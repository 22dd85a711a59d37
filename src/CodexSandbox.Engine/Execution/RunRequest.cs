namespace CodexSandbox.Engine.Execution;

/// <summary>One command to run under a resolved policy.</summary>
public sealed record RunRequest
{
    public required SandboxPolicy Policy { get; init; }
    /// <summary>The argv to run (for a shell line: <c>/bin/sh -c line</c>).</summary>
    public required IReadOnlyList<string> Argv { get; init; }
    /// <summary>The command as the user wrote it, for display and the audit log.</summary>
    public required string CommandLine { get; init; }
    /// <summary>Overrides <c>[sandbox_limits] timeout_sec</c> when set.</summary>
    public TimeSpan? Timeout { get; init; }
    /// <summary>Variables given with -Environment; they are added after the environment policy.</summary>
    public IReadOnlyDictionary<string, string> ExtraEnvironment { get; init; } = new Dictionary<string, string>();
    /// <summary>Run with no sandbox (an approved escalation).</summary>
    public bool Unsandboxed { get; init; }
    /// <summary>Give the command the caller's terminal (-Interactive): its output goes there and is not captured.</summary>
    public bool Interactive { get; init; }
}
