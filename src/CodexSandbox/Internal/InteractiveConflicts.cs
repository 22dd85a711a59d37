using System.Management.Automation;

namespace CodexSandbox.Internal;

/// <summary>What -Interactive cannot be combined with: one command holds the terminal at a time, and its output goes
/// there, not into lines.</summary>
internal static class InteractiveConflicts
{
    /// <summary>The error for the first conflict, or null when there is none.</summary>
    public static ErrorRecord? Find(bool stream, bool expectingInput)
    {
        if (stream)
        {
            return Errors.Record(new ArgumentException("-Interactive and -Stream cannot be used together: an interactive command writes to the terminal itself, so there are no output lines to stream."),
                Errors.InteractiveConflict, "Stream");
        }
        if (expectingInput)
        {
            return Errors.Record(new ArgumentException("-Interactive runs one command with the terminal, and cannot take command lines from the pipeline."),
                Errors.InteractiveConflict, "Command",
                "Give the one command after the parameters (Invoke-SandboxedCommand -Interactive <program> <arguments>, or -Command '<shell line>'), or drop -Interactive to run piped lines one after another.");
        }
        return null;
    }
}
