namespace CodexSandbox.Engine.Execution;

/// <summary>
/// Hands the allowlist proxy's decisions to the run's listener. The proxy is bound while the run is planned, before
/// anyone listens, so decisions made until then (another local program may use the proxy) are kept and handed over first.
/// </summary>
internal sealed class DecisionRelay
{
    private readonly object _gate = new();
    private readonly List<NetworkDecision> _early = [];
    private Action<NetworkDecision>? _listener;

    public void Decided(NetworkDecision decision)
    {
        lock (_gate)
        {
            if (_listener is { } listener) listener(decision);
            else _early.Add(decision);
        }
    }

    public void Listen(Action<NetworkDecision> listener)
    {
        lock (_gate)
        {
            foreach (var d in _early) listener(d);
            _early.Clear();
            _listener = listener;
        }
    }
}
