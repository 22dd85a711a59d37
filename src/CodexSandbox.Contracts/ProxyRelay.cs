namespace CodexSandbox;

/// <summary>A TCP port inside the sandbox's private network namespace and the host-side unix socket it is relayed to.</summary>
public sealed record ProxyRelay(int Port, string Socket)
{
    public override string ToString() => $"{Port}={Socket}";
}
