namespace CodexSandbox.Engine.Execution;

/// <summary>The program to run does not exist (reported by the launcher or found missing before a direct start).</summary>
public sealed class ProgramNotFoundException(string program) : Exception($"The command '{program}' was not found.")
{
    public string Program { get; } = program;
}
