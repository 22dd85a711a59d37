namespace CodexSandbox.Engine.Execution;

/// <summary>
/// One run, planned: the request, the launch plan built for it (once), and what that plan names that must stay open
/// until the run (the allowlist proxy, bound on the ports the plan shows). Show <see cref="Plan"/>, then hand this to
/// <see cref="SandboxExecutor.Run"/>, once; dispose it either way (a run that never starts releases the proxy here).
/// </summary>
public sealed class PlannedRun : IDisposable
{
    private readonly DecisionRelay? _decisions;
    private AllowlistNetwork? _network;
    private int _state; // 0 planned, 1 run, 2 disposed

    internal PlannedRun(RunRequest request, LaunchPlan plan, AllowlistNetwork? network, DecisionRelay? decisions)
    {
        Request = request;
        Plan = plan;
        _network = network;
        _decisions = decisions;
    }

    public RunRequest Request { get; }

    /// <summary>The plan the run carries out as it is.</summary>
    public LaunchPlan Plan { get; }

    /// <summary>Marks the plan as run (a plan runs once) and starts reporting the proxy's decisions.</summary>
    internal void Start(Action<NetworkDecision>? onNetworkDecision)
    {
        var was = Interlocked.CompareExchange(ref _state, 1, 0);
        if (was != 0)
        {
            throw new InvalidOperationException(was == 2
                ? "This planned run was disposed; plan the command again."
                : "This plan has already run; plan the command again to run it again.");
        }
        if (onNetworkDecision is not null) _decisions?.Listen(onNetworkDecision);
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _state, 2);
        Interlocked.Exchange(ref _network, null)?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
