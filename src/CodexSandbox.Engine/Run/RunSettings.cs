using CodexSandbox.Engine.Approval;
using CodexSandbox.Engine.Execution;
using CodexSandbox.Engine.Rules;

namespace CodexSandbox.Engine.Run;

/// <summary>What every command of one call shares: the policy, the rules, the session, and the call's switches.</summary>
public sealed record RunSettings
{
    public required SandboxPolicy Policy { get; init; }
    /// <summary>The exec-policy rules in effect; null for none.</summary>
    public RuleSet? Rules { get; init; }
    /// <summary>The "Yes to All" approvals of the caller's session (one per runspace).</summary>
    public required SessionApprovals Session { get; init; }
    /// <summary>Where checkpoints are kept (<c>$CODEX_HOME/checkpoints</c>).</summary>
    public required string CheckpointDirectory { get; init; }
    /// <summary>
    /// The machine the command runs on. Called once per command, after a forbidden command was refused, so a
    /// platform without a backend is recorded as SandboxUnavailable for the command that needed it.
    /// </summary>
    public required Func<SandboxHost> DetectHost { get; init; }
    /// <summary>Approve what would need approval without asking (-Force). Never overrides a forbidden command or grants a retry.</summary>
    public bool Force { get; init; }
    /// <summary>Checkpoint the writable roots before a run that can write (-Checkpoint), whatever <c>[sandbox_rollback]</c> says.</summary>
    public bool Checkpoint { get; init; }
    /// <summary>Write output lines as they arrive (-Stream).</summary>
    public bool Stream { get; init; }
    /// <summary>Give the command the terminal (-Interactive): nothing is captured, and a session without a terminal is refused before anything is decided.</summary>
    public bool Interactive { get; init; }
    /// <summary>The command asks to run outside the sandbox (-RequestUnsandboxed).</summary>
    public bool RequestUnsandboxed { get; init; }
    /// <summary>Why it needs to (-Justification); shown in the prompt.</summary>
    public string? Justification { get; init; }
    /// <summary>Overrides <c>[sandbox_limits] timeout_sec</c> when set (-TimeoutSec).</summary>
    public TimeSpan? Timeout { get; init; }
    /// <summary>Variables set after the environment policy (-Environment).</summary>
    public IReadOnlyDictionary<string, string> ExtraEnvironment { get; init; } = new Dictionary<string, string>();
    /// <summary>The config the policy came from; its audit export sinks receive the run's records. Null: no export.</summary>
    public Configuration.LoadedConfig? Config { get; init; }
}
