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
    private SteppablePipeline? _stderr;

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

    // A native command's stderr reaches the error stream without taking part in $ErrorActionPreference; a cmdlet's
    // WriteError always does (Stop would end the run at its first stderr line). Write-Error with its own
    // -ErrorAction Continue, stepped on this cmdlet's error pipe, writes each line as an error record that 2>$null,
    // 2>&1 and 2>file redirect and that never stops the script. It runs in a nameless script block (& { }): the record
    // takes that block's invocation, so its FullyQualifiedErrorId stays the bare NativeCommandErrorMessage that
    // PowerShell's error view prints as the line alone. One pipeline serves the whole run: a pipeline per line made
    // 5000 lines take 30 times as long.
    public void WriteErrorLine(string line)
    {
        if (_stderr is null)
        {
            var block = ScriptBlock.Create("& { process { Microsoft.PowerShell.Utility\\Write-Error -ErrorRecord $_ -ErrorAction Continue } }");
            var pipe = block.GetSteppablePipeline(CommandOrigin.Internal);
            // Begun from inside this cmdlet's ProcessRecord: the current command is this cmdlet, whose error pipe it joins.
            pipe.Begin(expectInput: true, (EngineIntrinsics)cmdlet.GetVariableValue("ExecutionContext"));
            _stderr = pipe;
        }
        _stderr.Process(Errors.StderrLine(line));
    }

    /// <summary>Ends the stderr pipeline of a run, if -Stream began one; called once the run is over.</summary>
    public void EndErrorLines()
    {
        if (_stderr is not { } pipe) return;
        _stderr = null;
        try { pipe.End(); }
        finally { pipe.Dispose(); }
    }

    public void WriteWarning(string message) => cmdlet.WriteWarning(message);

    public void WriteVerbose(string message) => cmdlet.WriteVerbose(message);

    public void ReportProgress(RunProgress progress) => cmdlet.WriteProgress(new ProgressRecord(ProgressId, progress.Activity, progress.Status)
    {
        RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
    });
}
