namespace CodexSandbox.Engine.Execution;

/// <summary>What <see cref="PosixProcessRunner"/> needs to stop a run: whether its child has exited, and a wait for that
/// which keeps serving the run's descriptors meanwhile.</summary>
internal interface IChildEvents
{
    bool Exited { get; }

    /// <summary>Serves the descriptors until the child exits (true) or <paramref name="timeout"/> has passed (false).</summary>
    bool WaitForExit(TimeSpan? timeout);
}
