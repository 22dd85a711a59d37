using CodexSandbox.Engine.Execution;

namespace CodexSandbox.Engine.Run;

/// <summary>
/// What only the caller of a <see cref="CommandRun"/> (the cmdlet) can do: ask the user, write to its pipeline and
/// report progress. Every call comes on the thread that called <see cref="CommandRun.Run"/>, never on a reader thread,
/// because only the pipeline thread may write.
/// </summary>
public interface IRunHost
{
    /// <summary>
    /// The -WhatIf / -Confirm gate, shown the launch the run will use. False: the command does not run, and nothing
    /// more is recorded or written.
    /// </summary>
    bool ConfirmPlan(string display, CommandAssessment assessment, LaunchPlan launch);

    /// <summary>Asks the user a yes/no question with security impact (an approval, a retry without the sandbox).</summary>
    ApprovalAnswer Ask(string query, string caption);

    /// <summary>The result of the run; also called when a stop was requested during the run (the host decides whether it can still write).</summary>
    void WriteResult(SandboxResult result);

    /// <summary>A line of the command's stdout, as it arrives (with -Stream).</summary>
    void WriteOutputLine(string line);

    /// <summary>A line of the command's stderr, as it arrives (with -Stream).</summary>
    void WriteErrorLine(string line);

    void WriteWarning(string message);

    void WriteVerbose(string message);

    void ReportProgress(RunProgress progress);
}
