namespace CodexSandbox.Engine.Export;

/// <summary>How serious an exported record is: the syslog severity and the OpenTelemetry severity number follow it.</summary>
public enum ExportSeverity
{
    /// <summary>syslog 6 (informational), OpenTelemetry INFO.</summary>
    Info,
    /// <summary>syslog 5 (notice), OpenTelemetry INFO2: approvals, undo, runs with a sandbox outcome.</summary>
    Notice,
    /// <summary>syslog 4 (warning), OpenTelemetry WARN: blocked and denied commands, likely sandbox denials.</summary>
    Warning,
}
