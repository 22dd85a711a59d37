namespace CodexSandbox;

/// <summary>What happened when one command ran: its output, how it ended, and how it was confined.</summary>
public sealed record SandboxResult
{
    public Guid Id { get; init; } = Guid.NewGuid();
    /// <summary>The command as run inside the sandbox (for -Command, <c>/bin/sh -c &lt;line&gt;</c>).</summary>
    public IReadOnlyList<string> Argv { get; init; } = [];
    /// <summary>The command as the user gave it.</summary>
    public string CommandLine { get; init; } = "";
    public string WorkingDirectory { get; init; } = "";
    /// <summary>The exit status; 128+N when killed by signal N; 124 after a timeout; 127 when the program was not found.</summary>
    public int ExitCode { get; init; }
    public bool Succeeded => ExitCode == 0 && !TimedOut;
    public string Stdout { get; init; } = "";
    public string Stderr { get; init; } = "";
    public long StdoutBytes { get; init; }
    public long StderrBytes { get; init; }
    /// <summary>True when stdout was longer than <c>output_max_bytes</c> and was cut.</summary>
    public bool StdoutTruncated { get; init; }
    public bool StderrTruncated { get; init; }
    public DateTimeOffset StartTime { get; init; }
    public TimeSpan Duration { get; init; }
    public bool TimedOut { get; init; }
    public SandboxMode SandboxMode { get; init; }
    public bool NetworkAccess { get; init; }
    public IReadOnlyList<string> WritableRoots { get; init; } = [];
    /// <summary><c>linux-bwrap</c>, <c>linux-launcher</c>, <c>seatbelt</c>, <c>windows</c>, or <c>none</c>.</summary>
    public string Backend { get; init; } = "";
    /// <summary>The protections that were active.</summary>
    public IReadOnlyList<string> Enforcement { get; init; } = [];
    /// <summary>Protections the policy asks for that this machine could not give, with the reason.</summary>
    public IReadOnlyList<string> NotEnforced { get; init; } = [];
    public ApprovalDecision Decision { get; init; }
    public DecisionSource DecisionSource { get; init; }
    /// <summary>Why it was allowed, asked or escalated, in words.</summary>
    public string? Reason { get; init; }
    /// <summary>True when this run happened outside the sandbox after an approved escalation or retry.</summary>
    public bool Escalated { get; init; }
    /// <summary>True when the failure looks like the sandbox blocked something (errno messages, SIGSYS, a cut network).</summary>
    public bool LikelySandboxDenial { get; init; }
    /// <summary>The checkpoint taken before the run (Undo-SandboxChange takes it or the audit id), or null.</summary>
    public string? CheckpointId { get; init; }
    /// <summary>The id of the audit record of this run, for Get-SandboxAudit -Id.</summary>
    public string? AuditId { get; init; }
    /// <summary>True when the output was written line by line as it came (-Stream), so the default view does not print it again.</summary>
    public bool OutputStreamed { get; init; }

    public override string ToString() => $"{CommandLine} -> {ExitCode}";
}
