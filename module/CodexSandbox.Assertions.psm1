# Pester assertions for teams that test their own command policy:
#   'curl https://x' | Should -BeForbidden
#   Test-CommandSafety -ApprovalPolicy Never 'rm -rf /' | Should -BeForbidden
# The value is a command line (assessed with the policy in effect here) or a CodexSandbox.CommandAssessment.
#
# Pester keeps its Should operators in its own module state, so they are registered in each Pester module instance:
# now, when Pester is already loaded, and otherwise the first time `Should` resolves to a Pester imported later (or
# re-imported). PesterOperatorHook watches command lookups for that; the import order does not matter.

$operators = @(
    @{ Name = 'BeKnownSafe'; Expectation = 'be known safe'; Predicate = { param($a) $a.IsKnownSafe } }
    @{ Name = 'BeDangerous'; Expectation = 'be dangerous'; Predicate = { param($a) $a.IsDangerous } }
    @{ Name = 'BeAllowed'; Expectation = 'be allowed without asking'; Predicate = { param($a) $a.Decision -eq 'Allow' } }
    @{ Name = 'RequireApproval'; Expectation = 'require approval'; Predicate = { param($a) $a.Decision -eq 'Prompt' } }
    @{ Name = 'BeForbidden'; Expectation = 'be forbidden'; Predicate = { param($a) $a.Decision -eq 'Forbidden' } }
)

function New-SandboxAssertionTest([scriptblock] $Predicate, [string] $Expectation) {
    {
        param($ActualValue, [switch] $Negate, [string] $Because)
        # Self-contained: Pester runs the closure in its own scope, so commands are module-qualified.
        $a = if ($ActualValue -is [CodexSandbox.CommandAssessment]) { $ActualValue }
             elseif ($ActualValue -is [string]) { CodexSandbox\Test-CommandSafety -InputObject $ActualValue -WarningAction SilentlyContinue }
             else { throw "Expected a command line or a CodexSandbox.CommandAssessment, but got $(if ($null -eq $ActualValue) { '$null' } else { $ActualValue.GetType().FullName })." }
        $ok = [bool](& $Predicate $a)
        if ($Negate) { $ok = -not $ok }
        $why = if ($Because) { " because $Because" } else { '' }
        $not = if ($Negate) { 'not ' } else { '' }
        [pscustomobject]@{
            Succeeded      = $ok
            FailureMessage = "Expected '$($a.Command)' ${not}to $Expectation$why, but it is $($a.Safety) with decision $($a.Decision) ($($a.Reasons -join ' '))."
        }
    }.GetNewClosure()
}

function Register-SandboxAssertion([psmoduleinfo] $Pester) {
    # The Add-ShouldOperator of this very Pester instance (two versions may be loaded side by side).
    $add = $Pester.ExportedCommands['Add-ShouldOperator']
    if (-not $add) {
        Microsoft.PowerShell.Utility\Write-Warning "Pester $($Pester.Version) has no Add-ShouldOperator; the CodexSandbox Should operators need Pester 5 or later."
        return
    }
    foreach ($operator in $operators) {
        # An identical operator already registered (the module imported again) is accepted silently by Pester.
        try { & $add -Name $operator.Name -Test (New-SandboxAssertionTest $operator.Predicate $operator.Expectation) -ErrorAction Stop }
        catch { Microsoft.PowerShell.Utility\Write-Warning "Should -$($operator.Name) from CodexSandbox is not available in Pester $($Pester.Version): $($_.Exception.Message)" }
    }
}

$hook = [CodexSandbox.Internal.PesterOperatorHook]::Install($ExecutionContext.InvokeCommand, ${function:Register-SandboxAssertion})
# Get-Module is cheap; Get-Command for a missing name would scan every module on PSModulePath at import.
foreach ($pester in Microsoft.PowerShell.Core\Get-Module Pester) { $hook.Register($pester) }
$ExecutionContext.SessionState.Module.OnRemove = { $hook.Uninstall() }.GetNewClosure()

Export-ModuleMember -Function @()
