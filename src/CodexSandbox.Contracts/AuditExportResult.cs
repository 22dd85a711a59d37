namespace CodexSandbox;

/// <summary>What one audit sink (an OpenTelemetry collector, a syslog receiver) received: from Sync-SandboxAudit and Export-SandboxAudit.</summary>
public sealed class AuditExportResult
{
    /// <summary>Kind and destination, for example <c>otlp-http https://otel.example:4318/v1/logs</c>.</summary>
    public string Sink { get; init; } = "";
    /// <summary><c>otlp-http</c>, <c>otlp-grpc</c>, <c>syslog-udp</c>, <c>syslog-tcp</c>, <c>syslog-tls</c> or <c>syslog-relp</c>.</summary>
    public string Kind { get; init; } = "";
    public string Destination { get; init; } = "";
    /// <summary>The config layer that defined the sink (System, User), or Parameter for Export-SandboxAudit.</summary>
    public PolicySource Source { get; init; }
    /// <summary>Records sent by this call.</summary>
    public int Sent { get; init; }
    /// <summary>The sink's cursor: every record up to this seq has been delivered (0 for Export-SandboxAudit).</summary>
    public long DeliveredSeq { get; init; }
    /// <summary>The last seq in the log when the call ended (for Export-SandboxAudit: the last seq sent).</summary>
    public long LastSeq { get; init; }
    /// <summary>Records still waiting for this sink.</summary>
    public long Pending { get; init; }
    public bool Succeeded { get; init; }
    /// <summary>Why the sink did not take everything, when it did not.</summary>
    public string? Error { get; init; }
    /// <summary>The file that holds the cursor, beside the log (null for Export-SandboxAudit).</summary>
    public string? CursorPath { get; init; }

    public override string ToString() => Succeeded ? $"{Sink}: {Sent} sent, up to date at seq {DeliveredSeq}" : $"{Sink}: {Sent} sent, {Pending} pending: {Error}";
}
