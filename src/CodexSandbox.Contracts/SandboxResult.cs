using System.Management.Automation;
using Newtonsoft.Json;

namespace CodexSandbox;

/// <summary>What happened when one command ran: its output, how it ended, and how it was confined.</summary>
public sealed record SandboxResult
{
    /// <summary>
    /// The run's id, the one its audit record has (<see cref="AuditId"/>). PowerShell shows it in the audit log's spelling,
    /// 32 hex digits (CodexSandbox.types.ps1xml), and so does ConvertTo-Json; every -Id parameter takes either spelling.
    /// </summary>
    [JsonIgnore]
    public Guid Id { get; init; } = Guid.NewGuid();
    /// <summary>The command as run inside the sandbox (for -Command, <c>/bin/sh -c &lt;line&gt;</c>).</summary>
    public IReadOnlyList<string> Argv { get; init => field = ArgvList.From(value); } = ArgvList.Empty;
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
    /// <summary>
    /// How long the command ran. Kept out of ConvertTo-Json, Export-Csv and Format-List * (where a TimeSpan is fifteen
    /// numbers); <see cref="DurationMs"/> is the readable form there, as in the audit log.
    /// </summary>
    [JsonIgnore, Hidden]
    public TimeSpan Duration { get; init; }
    /// <summary><see cref="Duration"/> in milliseconds, as the audit log records it (<c>durationMs</c>).</summary>
    public double DurationMs => Duration.TotalMilliseconds;
    public bool TimedOut { get; init; }
    public SandboxMode SandboxMode { get; init; }
    /// <summary>True when the command could reach some network; <see cref="Network"/> says which (kept for compatibility).</summary>
    public bool NetworkAccess { get; init; }
    /// <summary>The network the command had: Off, Allowlist (through the module's proxy) or On, as its audit record says.</summary>
    public NetworkMode Network { get; init; }
    public IReadOnlyList<string> WritableRoots { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
    /// <summary>The sandbox the run used: one of <see cref="SandboxBackend"/> (<c>linux-bwrap</c>, <c>linux-launcher</c>, <c>linux-escalated</c>, <c>seatbelt</c>, <c>windows-restricted-token</c>, <c>none</c>).</summary>
    public string Backend { get; init; } = "";
    /// <summary>The launch plan the run carried out, as <c>-WhatIf</c> and <c>-Verbose</c> showed it.</summary>
    public LaunchPlan? LaunchPlan { get; init; }
    /// <summary>The protections that were active.</summary>
    public IReadOnlyList<string> Enforcement { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
    /// <summary>Protections the policy asks for that this machine could not give, with the reason.</summary>
    public IReadOnlyList<string> NotEnforced { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
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
    /// <summary>True when the command had the terminal (-Interactive): its output went there and was not captured, so
    /// <see cref="Stdout"/> and <see cref="Stderr"/> are empty.</summary>
    public bool Interactive { get; init; }

    public override string ToString() => $"{CommandLine} -> {ExitCode}";
}
