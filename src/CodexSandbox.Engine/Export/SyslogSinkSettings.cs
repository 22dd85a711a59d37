namespace CodexSandbox.Engine.Export;

/// <summary><c>[sandbox_audit] syslog = { transport, address, … }</c>.</summary>
public sealed record SyslogSinkSettings : AuditSinkSettings
{
    public required SyslogTransport Transport { get; init; }
    public required string Host { get; init; }
    public required int Port { get; init; }
    /// <summary>RFC 5424 APP-NAME, default <c>codex-sandbox</c>.</summary>
    public string AppName { get; init; } = "codex-sandbox";
    /// <summary>The facility code (0–23), default 10 (<c>authpriv</c>): the records are security events with command lines.</summary>
    public int Facility { get; init; } = 10;
    /// <summary>For <see cref="SyslogTransport.Tls"/> (and RELP over TLS is not offered): CA and client certificate.</summary>
    public TlsFiles Tls { get; init; } = new();
    /// <summary>The name the server certificate must carry; default <see cref="Host"/>.</summary>
    public string? ServerName { get; init; }

    public override string Kind => "syslog-" + Transport.ToString().ToLowerInvariant();
    public override string Destination => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
