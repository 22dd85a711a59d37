namespace CodexSandbox.Engine.Export;

/// <summary>The outcome of one delivery attempt: the first <see cref="Delivered"/> records arrived; <see cref="Error"/> says why the rest did not.</summary>
internal readonly record struct SendResult(int Delivered, string? Error)
{
    public static SendResult All(int count) => new(count, null);
    public static SendResult Failed(string error, int delivered = 0) => new(delivered, error);
}
