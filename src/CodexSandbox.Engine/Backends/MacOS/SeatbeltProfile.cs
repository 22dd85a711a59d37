namespace CodexSandbox.Engine.Backends.MacOS;

/// <summary>A generated profile and the <c>-D</c> parameters it refers to, in the order they are passed.</summary>
public sealed class SeatbeltProfile(string text, IReadOnlyList<KeyValuePair<string, string>> parameters)
{
    public string Text { get; } = text;
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; } = parameters;
}
