using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace CodexSandbox;

/// <summary>How audit records travel to a syslog receiver ([sandbox_audit] syslog transport, Export-SandboxAudit -Transport).</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum SyslogTransport
{
    /// <summary>RFC 5426 datagrams: nothing confirms delivery, so records can be lost (documented as lossy).</summary>
    Udp,
    /// <summary>RFC 6587 octet counting over TCP; the connection is checked alive before the cursor moves.</summary>
    Tcp,
    /// <summary>RFC 5425: octet counting over TLS.</summary>
    Tls,
    /// <summary>RELP (rsyslog's imrelp): every message is acknowledged by the receiver.</summary>
    Relp,
}
