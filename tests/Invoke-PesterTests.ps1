<#
.SYNOPSIS
    Runs every tests/*.Tests.ps1 against the staged module and writes the pass/fail counts, and each skipped test
    with its reason, as JSON.
    Called by build.ps1 in a child `pwsh -NoProfile -NonInteractive`.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SummaryPath,
    [string[]] $Path = @($PSScriptRoot),
    # Run only the tests whose full name (Describe/Context/It names joined by dots) is -like this pattern.
    [string] $FullNameFilter
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
$env:CODEXSANDBOX_TEST_MODULE = (Resolve-Path $ModulePath).Path

$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.PassThru = $true
if ($FullNameFilter) { $config.Filter.FullName = $FullNameFilter }
$config.Output.Verbosity = 'Detailed'
$config.Should.ErrorAction = 'Continue'
$result = Invoke-Pester -Configuration $config

# Each skipped test with its reason (Set-ItResult -Skipped -Because), for the summary build.ps1 prints.
$skipped = foreach ($test in $result.Skipped) {
    $message = @($test.ErrorRecord | ForEach-Object { $_.Exception.Message } | Where-Object { $_ }) | Select-Object -First 1
    # A test skipped before it starts keeps <key> in its name: fill in its test case, so each case is named.
    $name = $test.ExpandedPath
    if ($test.Data -is [System.Collections.IDictionary]) { foreach ($key in $test.Data.Keys) { $name = $name.Replace("<$key>", "$($test.Data[$key])") } }
    [pscustomobject]@{
        Name   = $name
        Reason = if ($message) { $message -replace '^is skipped, because ', '' } else { 'no reason given (It -Skip without Set-ItResult -Because)' }
    }
}

[pscustomobject]@{
    Passed       = $result.PassedCount
    # A broken container marks its tests failed already; count it only when nothing else did.
    Failed       = [math]::Max($result.FailedCount + $result.FailedBlocksCount, [int]($result.Result -ne 'Passed'))
    Skipped      = $result.SkippedCount
    SkippedTests = @($skipped)
} | ConvertTo-Json -Depth 3 | Set-Content -Path $SummaryPath
if ($result.Result -ne 'Passed') { exit 1 }
