namespace CodexSandbox;

/// <summary>A variable (or PATH entry) that the environment policy kept out of the sandbox, and why.</summary>
public sealed class EnvironmentRemoval
{
    public EnvironmentRemoval(string name, string reason)
    {
        Name = name;
        Reason = reason;
    }

    /// <summary>The variable name, or <c>PATH:&lt;entry&gt;</c> for a dropped PATH entry.</summary>
    public string Name { get; }
    public string Reason { get; }

    public override string ToString() => $"{Name} ({Reason})";
}
