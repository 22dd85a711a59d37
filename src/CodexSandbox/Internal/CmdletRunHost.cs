using System.Management.Automation;
using System.Management.Automation.Host;
using CodexSandbox.Engine.Execution;
using CodexSandbox.Engine.Run;

namespace CodexSandbox.Internal;

/// <summary>
/// What a <see cref="CommandRun"/> needs from the cmdlet: ShouldProcess for -WhatIf/-Confirm, ShouldContinue for the
/// approval prompts, and the cmdlet's streams. One per cmdlet call, so "Yes to All" and "No to All" answered in a
/// prompt hold for the rest of the call, as ShouldContinue keeps them.
/// </summary>
internal sealed class CmdletRunHost(PSCmdlet cmdlet, Func<bool> stopping) : IRunHost
{
    private const int ProgressId = 0x5B0C;
    private bool _yesToAll, _noToAll;

    public bool ConfirmPlan(string display, CommandAssessment assessment, LaunchPlan launch) =>
        cmdlet.ShouldProcess(LaunchPlanText.Describe(display, assessment, launch), $"Run '{display}' in the sandbox?", "Invoke-SandboxedCommand");

    public ApprovalAnswer Ask(string query, string caption)
    {
        try
        {
            bool yes = cmdlet.ShouldContinue(query, caption, hasSecurityImpact: true, ref _yesToAll, ref _noToAll);
            return yes ? (_yesToAll ? ApprovalAnswer.YesToAll : ApprovalAnswer.Yes) : (_noToAll ? ApprovalAnswer.NoToAll : ApprovalAnswer.No);
        }
        // HostException: a host without UI; PSInvalidOperationException: -NonInteractive; NullReferenceException:
        // what the console host throws when stdin is at end-of-file (powershell-conventions.md §4, case 13).
        catch (Exception e) when (e is HostException or PSInvalidOperationException or NullReferenceException)
        {
            return ApprovalAnswer.CannotPrompt;
        }
    }

    public void WriteResult(SandboxResult result)
    {
        cmdlet.SessionState.PSVariable.Set("global:LASTEXITCODE", result.ExitCode);
        if (!stopping()) cmdlet.WriteObject(result);
    }

    public void WriteOutputLine(string line) => cmdlet.WriteObject(line);

    public void WriteErrorLine(string line) => cmdlet.WriteInformation(new HostInformationMessage { Message = line, NoNewLine = false }, ["PSHOST", "stderr"]);

    public void WriteWarning(string message) => cmdlet.WriteWarning(message);

    public void WriteVerbose(string message) => cmdlet.WriteVerbose(message);

    public void ReportProgress(RunProgress progress) => cmdlet.WriteProgress(new ProgressRecord(ProgressId, progress.Activity, progress.Status)
    {
        RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
    });
}
