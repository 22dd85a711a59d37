using System.Security.Cryptography;
using System.Text;

namespace CodexSandbox.Engine.Export;

/// <summary>One place audit records are shipped to, as a config layer defines it.</summary>
public abstract record AuditSinkSettings
{
    /// <summary>The layer that defined the sink: <c>System</c> (an administrator's, always on) or <c>User</c>.</summary>
    public required PolicySource Source { get; init; }
    public required string File { get; init; }
    public int Line { get; init; }

    /// <summary><c>otlp-http</c>, <c>otlp-grpc</c>, <c>syslog-udp</c>, <c>syslog-tcp</c>, <c>syslog-tls</c> or <c>syslog-relp</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>Where records go: the endpoint URL or host:port. Never holds a secret (headers are not part of it).</summary>
    public abstract string Destination { get; }

    /// <summary>
    /// A stable name for the sink's cursor file: the kind and destination hashed, so the same collector configured in
    /// two layers shares one cursor, and a changed destination starts a new one.
    /// </summary>
    public string Id
    {
        get
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(Kind + "|" + Destination));
            return $"{Kind}-{Convert.ToHexString(hash, 0, 6).ToLowerInvariant()}";
        }
    }

    public sealed override string ToString() => $"{Kind} {Destination}";
}
