# The front door of Invoke-SandboxedCommand (issue 14).
#
# PowerShell binds a cmdlet's parameters before the cmdlet runs, abbreviations included, and every cmdlet has the
# common parameters: `Invoke-SandboxedCommand cat -r secret.txt` bound -r to -RequestUnsandboxed, `cat -v` to -Verbose.
# So the name Invoke-SandboxedCommand belongs to this simple function instead: no [CmdletBinding()] and no parameters,
# hence no binding and no common parameters. Its words arrive verbatim in $args; SandboxedCommandFrontDoor reads them
# (leading options spelled in full are ours, `--` ends them, the first other word is the program and everything after
# it is the program's) and the function calls the cmdlet with named parameters only. The cmdlet itself is not
# exported (two commands of one name would give Get-Help two topics); the front door asks for it by type.
#
# The function is re-created below from its own text as an unbound script block, so it runs in the caller's session
# state like a script the caller wrote: the caller's $ErrorActionPreference, $WhatIfPreference, $PSDefaultParameterValues
# and try/catch apply to the cmdlet as they did when the cmdlet was called directly, and -ErrorVariable & co. can be
# set in the caller's scope (scope 1 from here). It therefore uses only module-qualified commands, and local names that
# start with __cxsb. Help: the MAML page of the cmdlet (.ExternalHelp below).

function Invoke-SandboxedCommand {
    <#
    .EXTERNALHELP CodexSandbox.dll-Help.xml
    #>
    [OutputType('CodexSandbox.SandboxResult')]
    param()

    begin {
        $__cxsbRunning = $false
        $__cxsbStatement = $MyInvocation.Statement   # PowerShell 7.4 and later, the module's minimum
        # Splatted variables (@p): their values say how many words each gave, and hashtables give named parameters,
        # which PowerShell moves to the end of the call. Looked up from the caller's scope (1) outwards, past this one.
        $__cxsbSplatted = @{}
        foreach ($__cxsbName in [CodexSandbox.Commands.SandboxedCommandFrontDoor]::SplattedVariables($__cxsbStatement)) {
            $__cxsbSplatted[$__cxsbName] = $null
            if ($__cxsbName.Contains(':')) {
                $__cxsbSplatted[$__cxsbName] = $ExecutionContext.SessionState.PSVariable.GetValue($__cxsbName)
                continue
            }
            for ($__cxsbScope = 1; ; $__cxsbScope++) {
                try { $__cxsbFound = Microsoft.PowerShell.Utility\Get-Variable -Name $__cxsbName -Scope $__cxsbScope -ErrorAction Ignore }
                catch { break }   # no scope $__cxsbScope: the variable is not set, and splats as $null
                if ($null -ne $__cxsbFound) {
                    $__cxsbSplatted[$__cxsbName] = $__cxsbFound.Value
                    break
                }
            }
        }
        $__cxsbCall = [CodexSandbox.Commands.SandboxedCommandFrontDoor]::Prepare($args, $__cxsbStatement, $MyInvocation.ExpectingInput, $__cxsbSplatted)
        if ($null -eq $__cxsbCall) { return }   # Prepare failed (its error is written); nothing runs
        # A refusal reads like a binding error of the command itself ("Invoke-SandboxedCommand: ..." at the caller's line),
        # with the id '<ErrorId>,Invoke-SandboxedCommand'; nothing runs.
        if ($null -ne $__cxsbCall.Error) { Microsoft.PowerShell.Utility\Write-Error -ErrorRecord $__cxsbCall.Error -ErrorAction Stop }

        $__cxsbCommand = $__cxsbCall.Command
        $__cxsbParameters = $__cxsbCall.Parameters
        if ($__cxsbCall.Warnings.Count -gt 0) {
            $__cxsbWarningAction = if ($__cxsbParameters.ContainsKey('WarningAction')) { $__cxsbParameters['WarningAction'] } else { $WarningPreference }
            foreach ($__cxsbWarning in $__cxsbCall.Warnings) { Microsoft.PowerShell.Utility\Write-Warning -Message $__cxsbWarning -WarningAction $__cxsbWarningAction }
        }

        # -ErrorVariable v (and Warning-, Information-, OutVariable): one list, in the caller's $v and in a local the
        # cmdlet appends to (+__cxsb...). With +v the caller's list is extended, as PowerShell does.
        foreach ($__cxsbVariable in $__cxsbCall.Variables) {
            $__cxsbList = [System.Collections.ArrayList]::new()
            if ($__cxsbVariable.Append) {
                $__cxsbOld = $ExecutionContext.SessionState.PSVariable.GetValue($__cxsbVariable.Name)
                if ($__cxsbOld -is [psobject]) { $__cxsbOld = $__cxsbOld.psobject.BaseObject }
                if ($__cxsbOld -is [System.Collections.ArrayList]) { $__cxsbList = $__cxsbOld }
                elseif ($null -ne $__cxsbOld) { foreach ($__cxsbItem in @($__cxsbOld)) { $null = $__cxsbList.Add($__cxsbItem) } }
            }
            Microsoft.PowerShell.Utility\Set-Variable -Name $__cxsbVariable.Name -Value $__cxsbList -Scope 1
            $ExecutionContext.SessionState.PSVariable.Set($__cxsbVariable.LocalName, $__cxsbList)
        }

        if ($null -ne $__cxsbCall.PipelineVariable) {
            # -PipelineVariable: the caller's variable holds each result while the rest of the caller's pipeline sees it.
            Microsoft.PowerShell.Utility\Set-Variable -Name $__cxsbCall.PipelineVariable -Value $null -Scope 1
            $__cxsbPipelineVariable = Microsoft.PowerShell.Utility\Get-Variable -Name $__cxsbCall.PipelineVariable -Scope 1
            $__cxsbScript = { & $__cxsbCommand @__cxsbParameters | & { process { $__cxsbPipelineVariable.Value = $_; $_ } } }
        }
        else {
            $__cxsbScript = { & $__cxsbCommand @__cxsbParameters }
        }
        # The cmdlet runs as a steppable pipeline begun on this function's own streams ($ExecutionContext): its output
        # (-Stream's lines) reaches the caller as it comes, and an error it writes (a refusal, a non-zero exit under
        # $PSNativeCommandUseErrorActionPreference) makes the caller's $? false, so `&&` and `||` see it. An error
        # written by a command called plainly inside a simple function leaves the function's $? true.
        $__cxsbSteppable = $__cxsbScript.GetSteppablePipeline($MyInvocation.CommandOrigin)
        $__cxsbSteppable.Begin($MyInvocation.ExpectingInput, $ExecutionContext)
        $__cxsbRunning = $?
    }

    process {
        # ApprovalRequired (this session cannot prompt) is terminating in the cmdlet; a cmdlet's terminating error only
        # ends the statement, so it is thrown again here, which stops the caller's script: a CI job never carries on.
        try { if ($__cxsbRunning -and $MyInvocation.ExpectingInput) { $__cxsbSteppable.Process($_) } }
        catch [System.UnauthorizedAccessException] { throw }   # ApprovalRequiredException; the engine's types load apart
    }

    end {
        try { if ($__cxsbRunning) { $__cxsbSteppable.End() } }
        catch [System.UnauthorizedAccessException] { throw }   # ApprovalRequiredException; the engine's types load apart
        # As PowerShell does, the pipeline variable does not outlive the pipeline.
        if ($__cxsbRunning -and $null -ne $__cxsbCall.PipelineVariable) {
            Microsoft.PowerShell.Utility\Remove-Variable -Name $__cxsbCall.PipelineVariable -Scope 1 -ErrorAction Ignore
        }
    }
}

# Unbind it from this module (see above): the same text, compiled without a session state of its own.
$frontDoor = [scriptblock]::Create(${function:Invoke-SandboxedCommand}.ToString())
# The function drive's variable syntax, not Set-Item: module-qualifying Set-Item loads Microsoft.PowerShell.Management,
# which cost Import-Module about 100 ms.
${function:script:Invoke-SandboxedCommand} = $frontDoor
# Tab completion: the function has no parameters of its own, so its words go to a native completer (values of our
# parameters, program names; FrontDoorCompleter says what it cannot do).
Microsoft.PowerShell.Core\Register-ArgumentCompleter -Native -CommandName Invoke-SandboxedCommand -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    [CodexSandbox.Completers.FrontDoorCompleter]::Complete($wordToComplete, $commandAst, $cursorPosition)
}

Export-ModuleMember -Function Invoke-SandboxedCommand
