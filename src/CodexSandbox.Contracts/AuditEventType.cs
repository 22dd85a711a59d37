using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace CodexSandbox;

/// <summary>What an audit record is about.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum AuditEventType
{
    /// <summary>A command ran (sandboxed or not); the record holds its argv, policy and outcome.</summary>
    CommandExecuted,
    /// <summary>A command was rejected or forbidden; <c>Rule</c> or <c>Reason</c> says why.</summary>
    CommandBlocked,
    /// <summary>The user was asked to approve a command.</summary>
    ApprovalRequested,
    /// <summary>A command was approved; <c>DecisionSource</c> says by whom (user, -Force, rule, session cache).</summary>
    ApprovalGranted,
    /// <summary>An approval was refused (or could not be asked, as on a non-interactive host).</summary>
    ApprovalDenied,
    /// <summary>A run failed in a way that looks like a sandbox denial.</summary>
    PolicyViolation,
    /// <summary>The sandbox could not be set up, so the command did not run as asked.</summary>
    SandboxUnavailable,
    /// <summary>The configuration could not be used.</summary>
    ConfigError,
    /// <summary>A checkpoint of the writable roots was taken before a run.</summary>
    CheckpointCreated,
    /// <summary>Files were restored from a checkpoint.</summary>
    UndoPerformed,
    /// <summary>The network proxy allowed or refused a connection.</summary>
    NetworkDecision,
}
