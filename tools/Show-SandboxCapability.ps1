<#
.SYNOPSIS
    Prints what this machine can enforce (Get-SandboxCapability), mode by mode. The CI workflow runs it before the
    tests, so each skipped test can be read against the machine it ran on.
.PARAMETER ModulePath
    The staged module manifest; by default the one ./build.ps1 Build stages for the version in CodexSandbox.psd1.
#>
param([string] $ModulePath)
$ErrorActionPreference = 'Stop'
$FormatEnumerationLimit = -1   # list every Landlock feature, not the first four
if (-not $ModulePath) {
    $root = Split-Path $PSScriptRoot
    $version = (Import-PowerShellDataFile (Join-Path $root 'CodexSandbox.psd1')).ModuleVersion
    $ModulePath = Join-Path $root "out/CodexSandbox/$version/CodexSandbox.psd1"
}
if (-not (Test-Path $ModulePath)) { throw "No staged module at $ModulePath; run ./build.ps1 Build first." }
Import-Module (Resolve-Path $ModulePath).Path

$cap = Get-SandboxCapability
$cap | Format-List Platform, KernelVersion, Architecture, LandlockAbi, LandlockFeatures, Seccomp, BwrapPath, BwrapVersion,
    BwrapWorks, BwrapProblem, UserNamespaces, Container, LauncherPath, SandboxExecPath, SandboxExecWorks | Out-Host
# The per-mode dictionaries do not fit a list view: one block per mode.
foreach ($mode in $cap.Backend.Keys) {
    Write-Host "${mode}: backend $($cap.Backend[$mode])"
    foreach ($p in $cap.Protections[$mode]) { Write-Host "    enforced:     $p" }
    foreach ($m in $cap.Missing[$mode]) { Write-Host "    not enforced: $m" }
}
foreach ($note in $cap.Notes) { Write-Host "note: $note" }
