namespace CodexSandbox.Engine.Execution;

/// <summary>An interactive run (-Interactive) cannot be given a terminal here: none is attached (redirected stdin or
/// stdout, CI), or the platform has no interactive runs yet. Nothing was started.</summary>
public sealed class TerminalUnavailableException(string message) : Exception(message)
{
    /// <summary>How to run the command anyway.</summary>
    public string Remedy => "Run it without -Interactive: its output is then captured in the result (add -Stream to see it as it comes), and its stdin reads end-of-file.";
}
