namespace CodexSandbox.Engine.Execution;

/// <summary>Exactly what to start: no shell is involved, the argv is passed as it is.</summary>
public sealed record ProcessSpec
{
    public required string Program { get; init; }
    public IReadOnlyList<string> Arguments { get; init; } = [];
    public required string WorkingDirectory { get; init; }
    /// <summary>The complete environment of the child (nothing is inherited beyond it).</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }
    /// <summary>Null for no timeout.</summary>
    public TimeSpan? Timeout { get; init; }
    /// <summary>Bytes kept of stdout and of stderr each; the rest is drained and dropped.</summary>
    public long OutputMaxBytes { get; init; } = ResourceLimits.DefaultOutputMaxBytes;
    /// <summary>Linux only: the child gets the write end of a pipe at this descriptor number (the launcher's
    /// <c>--status-fd</c>), and what it writes there is <see cref="ProcessOutcome.Status"/>. Null for none.</summary>
    public int? StatusDescriptor { get; init; }
    /// <summary>An interactive run: the child's stdin, stdout and stderr are a pseudo-terminal relayed to this process's
    /// terminal (Linux; elsewhere the terminal itself), and nothing is captured. <see cref="ChildTerminal.None"/> by default.</summary>
    public ChildTerminal Terminal { get; init; }
}
