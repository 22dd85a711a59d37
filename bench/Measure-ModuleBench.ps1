<#
.SYNOPSIS
    Module-level benchmarks run by `./build.ps1 Bench`: Import-Module time first (goal <= 300 ms).
#>
param([Parameter(Mandatory)] [string] $ModulePath, [int] $Runs = 7)
$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path $ModulePath).Path

function Measure-Fresh([string] $Body) {
    # Each sample is a fresh process: the cost a user pays at the start of every session.
    $script = "`$sw = [Diagnostics.Stopwatch]::StartNew(); $Body; `$sw.Stop(); `$sw.Elapsed.TotalMilliseconds"
    $samples = foreach ($i in 1..$Runs) {
        $out = & dotnet pwsh -NoProfile -NonInteractive -Command $script
        if ($LASTEXITCODE -ne 0) { throw "benchmark process failed: $out" }
        [double]($out | Select-Object -Last 1)
    }
    $sorted = @($samples | Sort-Object)
    [pscustomobject]@{ Median = $sorted[[int][math]::Floor($sorted.Count / 2)]; Min = $sorted[0]; Max = $sorted[-1] }
}

$import = Measure-Fresh "Import-Module '$ModulePath'"
"Import-Module: median {0:N1} ms over {1} fresh processes (min {2:N1}, max {3:N1}); goal <= 300 ms" -f $import.Median, $Runs, $import.Min, $import.Max
$first = Measure-Fresh "Import-Module '$ModulePath'; Get-SandboxPolicy | Out-Null"
"Import-Module + first Get-SandboxPolicy (engine and Tomlyn load, config parse): median {0:N1} ms" -f $first.Median
