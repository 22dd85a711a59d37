namespace CodexSandbox.Engine.Backends;

/// <summary>The sandbox the policy asks for cannot be built on this machine; the command is not run (fail closed).</summary>
public sealed class SandboxUnavailableException(string message, string remedy) : Exception(message)
{
    /// <summary>How to get what is missing.</summary>
    public string Remedy { get; } = remedy;
}
