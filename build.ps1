#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, stages, tests, demonstrates and benchmarks the CodexSandbox module.
.DESCRIPTION
    Tasks: Build (stage out/CodexSandbox/<version>/), Help (markdown -> MAML), Test (xunit, then Pester in a child
    `pwsh -NoProfile -NonInteractive`; ends with one line "N passed, N failed"), Demo, Bench, Clean.
    Run it with the pinned PowerShell: `dotnet tool restore; dotnet pwsh ./build.ps1 Test`.
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Help', 'Test', 'Demo', 'Bench', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$Root = $PSScriptRoot
$Version = (Import-PowerShellDataFile (Join-Path $Root 'CodexSandbox.psd1')).ModuleVersion
$Stage = Join-Path $Root "out/CodexSandbox/$Version"
$Artifacts = Join-Path $Root 'artifacts'

function Invoke-Dotnet {
    # Every dotnet call is checked: a failed step stops the build.
    # (no param block: $args passes dotnet's own switches such as -o through untouched)
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

function Invoke-ChildPwsh {
    # A separate, non-interactive PowerShell, so a stray prompt fails fast and the staged DLLs are never locked here.
    param([string] $File, [string[]] $Arguments = @())
    Push-Location $Root
    try {
        & dotnet pwsh -NoProfile -NonInteractive -File $File @Arguments | Out-Host
        return $LASTEXITCODE
    }
    finally { Pop-Location }
}

function Invoke-Clean {
    foreach ($dir in 'out', 'artifacts') {
        $path = Join-Path $Root $dir
        if (Test-Path $path) { Remove-Item -Recurse -Force $path }
    }
}

function Invoke-Build {
    $publish = Join-Path $Artifacts 'publish/CodexSandbox'
    if (Test-Path $publish) { Remove-Item -Recurse -Force $publish }
    Invoke-Dotnet publish (Join-Path $Root 'src/CodexSandbox/CodexSandbox.csproj') -c $Configuration -o $publish "-p:Version=$Version" --nologo -v quiet

    if (Test-Path $Stage) { Remove-Item -Recurse -Force $Stage }
    $deps = New-Item -ItemType Directory -Force (Join-Path $Stage 'Dependencies')
    # Named files only. The engine and Tomlyn go to Dependencies/ and nowhere else: a copy at the root
    # would be found by default probing and defeat the load-context isolation.
    foreach ($name in 'CodexSandbox.dll', 'CodexSandbox.pdb', 'CodexSandbox.Contracts.dll', 'CodexSandbox.Contracts.pdb') {
        Copy-Item (Join-Path $publish $name) $Stage
    }
    foreach ($name in 'CodexSandbox.Engine.dll', 'CodexSandbox.Engine.pdb', 'Tomlyn.dll') {
        Copy-Item (Join-Path $publish $name) $deps
    }
    Copy-Item (Join-Path $Root 'CodexSandbox.psd1') $Stage
    Copy-Item (Join-Path $Root 'module/*') $Stage -Recurse

    $launcher = Join-Path $Root 'src/CodexSandbox.Launcher/CodexSandbox.Launcher.csproj'
    if ((Test-Path $launcher) -and $IsLinux) {
        $rid = if ([System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture -eq 'Arm64') { 'linux-arm64' } else { 'linux-x64' }
        Invoke-Dotnet publish $launcher -c Release -r $rid -o (Join-Path $Stage "bin/$rid") --nologo -v quiet
        Get-ChildItem (Join-Path $Stage "bin/$rid") -Exclude 'codex-linux-sandbox' | Remove-Item -Recurse -Force
    }
    Invoke-Help
    Write-Host "Staged CodexSandbox $Version in $Stage"
}

function Invoke-Help {
    $builder = Join-Path $Root 'tools/CodexSandbox.HelpBuilder/CodexSandbox.HelpBuilder.csproj'
    if (-not (Test-Path $builder)) { return }
    $out = Join-Path $Stage 'en-US'
    Invoke-Dotnet run --project $builder -c Release -- (Join-Path $Root 'docs/en-US') $out
}

function Get-TrxCounts {
    param([string] $Directory)
    $passed = 0; $failed = 0
    foreach ($trx in Get-ChildItem $Directory -Filter *.trx -ErrorAction SilentlyContinue) {
        $counters = ([xml](Get-Content -Raw $trx.FullName)).TestRun.ResultSummary.Counters
        $passed += [int]$counters.passed
        $failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed }
}

function Invoke-Test {
    Invoke-Build
    $results = Join-Path $Artifacts 'testresults'
    if (Test-Path $results) { Remove-Item -Recurse -Force $results }
    $xunitFailed = $false
    foreach ($project in Get-ChildItem (Join-Path $Root 'tests') -Filter *.Tests.csproj -Recurse) {
        $env:CODEXSANDBOX_LAUNCHER = Get-ChildItem (Join-Path $Stage 'bin') -Filter codex-linux-sandbox -Recurse -ErrorAction SilentlyContinue |
            Select-Object -First 1 -ExpandProperty FullName
        & dotnet test $project.FullName -c $Configuration --nologo --logger "trx;LogFilePrefix=$($project.BaseName)" --results-directory $results
        if ($LASTEXITCODE -ne 0) { $xunitFailed = $true }
    }
    $xunit = Get-TrxCounts $results

    Invoke-Dotnet restore (Join-Path $Root 'tests/PesterRestore/PesterRestore.csproj') --nologo -v quiet
    $packages = ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
    $pester = Join-Path $packages 'pester/5.7.1/tools/Pester.psd1'
    $summary = Join-Path $Artifacts 'pester-summary.json'
    $code = Invoke-ChildPwsh (Join-Path $Root 'tests/Invoke-PesterTests.ps1') @('-PesterPath', $pester, '-ModulePath', (Join-Path $Stage 'CodexSandbox.psd1'), '-SummaryPath', $summary)
    $pesterCounts = if (Test-Path $summary) { Get-Content -Raw $summary | ConvertFrom-Json } else { [pscustomobject]@{ Passed = 0; Failed = 1 } }

    $passed = $xunit.Passed + $pesterCounts.Passed
    $failed = $xunit.Failed + $pesterCounts.Failed
    if ($failed -eq 0 -and ($xunitFailed -or $code -ne 0)) { $failed = 1 }   # a runner crash counts as a failure
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed; Pester: $($pesterCounts.Passed) passed, $($pesterCounts.Failed) failed"
    Write-Output "$passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    $code = Invoke-ChildPwsh (Join-Path $Root 'tools/Demo.ps1') @('-ModulePath', (Join-Path $Stage 'CodexSandbox.psd1'))
    if ($code -ne 0) { throw "The demo failed (exit code $code)." }
}

function Invoke-Bench {
    Invoke-Build
    $code = Invoke-ChildPwsh (Join-Path $Root 'bench/Measure-ModuleBench.ps1') @('-ModulePath', (Join-Path $Stage 'CodexSandbox.psd1'))
    if ($code -ne 0) { throw "The module benchmarks failed (exit code $code)." }
    Invoke-Dotnet run -c Release --project (Join-Path $Root 'bench/CodexSandbox.Benchmarks/CodexSandbox.Benchmarks.csproj') -- --filter '*' --job short
}

switch ($Task) {
    'Clean' { Invoke-Clean }
    'Build' { Invoke-Build }
    'Help'  { Invoke-Help }
    'Test'  { Invoke-Test }
    'Demo'  { Invoke-Demo }
    'Bench' { Invoke-Bench }
}
