namespace CodexSandbox.Engine.Execution;

/// <summary>A run whose descriptors are served on the calling thread until a condition on it holds: what
/// <see cref="PosixProcessRunner"/> needs to end captured and interactive runs the same way.</summary>
internal interface IServedRun<TSelf> : IChildEvents
    where TSelf : IServedRun<TSelf>
{
    /// <summary>Cancellation was requested.</summary>
    bool Cancelled { get; }

    /// <summary>Serves the descriptors until <paramref name="done"/> holds (true) or <paramref name="timeout"/> has passed (false).</summary>
    bool RunUntil(Func<TSelf, bool> done, TimeSpan? timeout);
}
