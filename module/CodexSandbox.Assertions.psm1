# Pester assertions for teams that test their own command policy:
#   'curl https://x' | Should -BeForbidden
#   Test-CommandSafety -ApprovalPolicy Never 'rm -rf /' | Should -BeForbidden
# The value is a command line (assessed with the policy in effect here) or a CodexSandbox.CommandAssessment.
# They are registered when this module is imported into a session where Pester is loaded.

function New-SandboxAssertion([string] $Name, [scriptblock] $Predicate, [string] $Expectation) {
    $test = {
        param($ActualValue, [switch] $Negate, [string] $Because)
        # Self-contained: the closure does not run in this module's scope.
        $a = if ($ActualValue -is [CodexSandbox.CommandAssessment]) { $ActualValue }
             elseif ($ActualValue -is [string]) { Test-CommandSafety -InputObject $ActualValue -WarningAction SilentlyContinue }
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
    Add-ShouldOperator -Name $Name -Test $test -SupportsArrayInput:$false -ErrorAction SilentlyContinue
}

# Get-Module is cheap; Get-Command for a missing name would scan every module on PSModulePath at import.
if (Get-Module Pester) {
    New-SandboxAssertion BeKnownSafe { param($a) $a.IsKnownSafe } 'be known safe'
    New-SandboxAssertion BeDangerous { param($a) $a.IsDangerous } 'be dangerous'
    New-SandboxAssertion BeAllowed { param($a) $a.Decision -eq 'Allow' } 'be allowed without asking'
    New-SandboxAssertion RequireApproval { param($a) $a.Decision -eq 'Prompt' } 'require approval'
    New-SandboxAssertion BeForbidden { param($a) $a.Decision -eq 'Forbidden' } 'be forbidden'
}

Export-ModuleMember -Function @()
