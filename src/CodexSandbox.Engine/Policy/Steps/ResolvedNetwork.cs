namespace CodexSandbox.Engine.Policy.Steps;

/// <summary>The network part of a policy: its mode, the proxy's rules, and the host unix sockets the command may reach.</summary>
internal sealed record ResolvedNetwork(
    NetworkMode Mode,
    IReadOnlyList<string> AllowedDomains,
    IReadOnlyList<string> DeniedDomains,
    IReadOnlyList<int> AllowedPorts,
    bool AllowLocalBinding,
    bool Limited,
    IReadOnlyList<string> AllowedUnixSockets,
    IReadOnlyList<string> DeniedUnixSockets,
    bool AllowAllUnixSockets);
