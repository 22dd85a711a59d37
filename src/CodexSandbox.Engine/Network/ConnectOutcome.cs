using System.Net.Sockets;

namespace CodexSandbox.Engine.Network;

/// <summary>The result of deciding and opening one upstream connection.</summary>
internal sealed class ConnectOutcome
{
    /// <summary>The connected upstream socket, when the policy allowed the host and the connect worked.</summary>
    public Socket? Upstream { get; init; }
    /// <summary>Set when the policy refused the host.</summary>
    public HostVerdict? Blocked { get; init; }
    /// <summary>Set when the host was allowed (or could not be judged) but no connection came about.</summary>
    public string? Failure { get; init; }
    public SocketError FailureCode { get; init; }
    public bool TimedOut { get; init; }
}
