namespace CodexSandbox.Engine.Execution;

/// <summary>How a process ended, and what it wrote.</summary>
public sealed record ProcessOutcome
{
    /// <summary>The exit status; 128+N for a signal; 124 after a timeout.</summary>
    public int ExitCode { get; init; }
    public bool TimedOut { get; init; }
    /// <summary>True when the caller cancelled (Ctrl+C) and the tree was killed.</summary>
    public bool Cancelled { get; init; }
    public string Stdout { get; init; } = "";
    public string Stderr { get; init; } = "";
    public long StdoutBytes { get; init; }
    public long StderrBytes { get; init; }
    public bool StdoutTruncated { get; init; }
    public bool StderrTruncated { get; init; }
    public DateTimeOffset StartTime { get; init; }
    public TimeSpan Duration { get; init; }
    /// <summary>What the child wrote on <see cref="ProcessSpec.StatusDescriptor"/> (the launcher's status record);
    /// null when no status descriptor was passed.</summary>
    public string? Status { get; init; }

    public const int TimeoutExitCode = 124;
}
