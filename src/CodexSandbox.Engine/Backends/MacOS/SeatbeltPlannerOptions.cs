namespace CodexSandbox.Engine.Backends.MacOS;

/// <summary>Inputs of the Seatbelt plan that do not come from the policy.</summary>
public sealed class SeatbeltPlannerOptions
{
    /// <summary>Loopback ports of the allowlist proxy; the only network destinations in Allowlist mode.</summary>
    public IReadOnlyList<int> ProxyPorts { get; init; } = [];

    /// <summary>
    /// The sandbox-exec the plan starts: always <see cref="SeatbeltPlanner.SandboxExec"/> for real runs; only code (the
    /// engine's tests, with a recording stand-in) can change it, never configuration or the environment.
    /// </summary>
    public string SandboxExecPath { get; init; } = SeatbeltPlanner.SandboxExec;

    /// <summary>Resolve symlinks on the real file system (default: only when running on macOS).</summary>
    public bool ResolveSymlinks { get; init; } = OperatingSystem.IsMacOS();
}
