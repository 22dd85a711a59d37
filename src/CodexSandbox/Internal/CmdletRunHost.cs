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
    private ScriptBlock? _stderr; // made in this call's runspace, not shared between runspaces

    public bool ConfirmPlan(string display, CommandAssessment assessment, SandboxLaunch launch) =>
        cmdlet.ShouldProcess(PlanDescription.Describe(display, assessment, launch), $"Run '{display}' in the sandbox?", "Invoke-SandboxedCommand");

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

    // A native command's stderr reaches the error stream without taking part in $ErrorActionPreference; a cmdlet's
    // WriteError always does (Stop would end the run at its first stderr line). Write-Error with its own
    // -ErrorAction Continue, stepped on this cmdlet's error pipe, writes the line as an error record that 2>$null,
    // 2>&1 and 2>file redirect and that never stops the script. It runs in a script block of its own (& { }): the
    // record then takes that nameless block's invocation, so its FullyQualifiedErrorId stays the bare
    // NativeCommandErrorMessage that PowerShell's error view prints as the line alone.
    public void WriteErrorLine(string line)
    {
        _stderr ??= ScriptBlock.Create("param($record) & { param($r) Microsoft.PowerShell.Utility\\Write-Error -ErrorRecord $r -ErrorAction Continue } $record");
        using var pipe = _stderr.GetSteppablePipeline(CommandOrigin.Internal, [Errors.StderrLine(line)]);
        pipe.Begin(cmdlet);
        pipe.End();
    }


    public void WriteWarning(string message) => cmdlet.WriteWarning(message);

    public void WriteVerbose(string message) => cmdlet.WriteVerbose(message);

    public void ReportProgress(RunProgress progress) => cmdlet.WriteProgress(new ProgressRecord(ProgressId, progress.Activity, progress.Status)
    {
        RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
    });
}
