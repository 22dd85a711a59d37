namespace CodexSandbox.Engine.Rollback;

/// <summary>A checkpoint could not be read, written or applied (git failed, the store is damaged…).</summary>
public sealed class CheckpointException : Exception
{
    public CheckpointException(string message) : base(message) { }
    public CheckpointException(string message, Exception inner) : base(message, inner) { }
}
