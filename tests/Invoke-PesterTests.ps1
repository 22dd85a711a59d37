<#
.SYNOPSIS
    Runs every tests/*.Tests.ps1 against the staged module and writes the pass/fail counts as JSON.
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

[pscustomobject]@{
    Passed  = $result.PassedCount
    # A broken container marks its tests failed already; count it only when nothing else did.
    Failed  = [math]::Max($result.FailedCount + $result.FailedBlocksCount, [int]($result.Result -ne 'Passed'))
    Skipped = $result.SkippedCount
} | ConvertTo-Json | Set-Content -Path $SummaryPath
if ($result.Result -ne 'Passed') { exit 1 }
