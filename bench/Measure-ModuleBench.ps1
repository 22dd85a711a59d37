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

# Invoke-SandboxedCommand against the direct call and against bwrap, in one warm session (ARCHITECTURE.md goals:
# launcher alone <= 2x `& /bin/true`; with the namespace layer <= `& bwrap <hardened args> /bin/true` + 2 ms).
$overhead = & dotnet pwsh -NoProfile -NonInteractive -Command @"
Import-Module '$ModulePath'
`$ErrorActionPreference = 'Stop'
`$cfgDir = Join-Path ([IO.Path]::GetTempPath()) "cxsb-bench-`$PID"
New-Item -ItemType Directory -Force `$cfgDir | Out-Null
`$env:CODEX_HOME = `$cfgDir   # the benchmark's runs go to a scratch audit log, not the user's
Set-Content (Join-Path `$cfgDir 'off.toml') "[sandbox_linux]``nnamespaces = 'off'"
Set-Content (Join-Path `$cfgDir 'req.toml') "[sandbox_linux]``nnamespaces = 'required'"
function Measure-Median([scriptblock] `$Action, [int] `$N = 200) {
    foreach (`$i in 1..20) { & `$Action | Out-Null }   # warm-up
    `$samples = foreach (`$i in 1..`$N) { `$sw = [Diagnostics.Stopwatch]::StartNew(); & `$Action | Out-Null; `$sw.Elapsed.TotalMilliseconds }
    (`$samples | Sort-Object)[[int](`$N / 2)]
}
`$direct = Measure-Median { & /bin/true }
`$launcher = Measure-Median { Invoke-SandboxedCommand -ConfigPath (Join-Path `$cfgDir 'off.toml') /bin/true }
# The cmdlet's own cost: the same launch (the plan the run carried out) started straight from pwsh, against the cmdlet,
# interleaved. The status descriptor is left out of the straight start, since pwsh cannot hand the launcher one.
`$plan = (Invoke-SandboxedCommand -ConfigPath (Join-Path `$cfgDir 'off.toml') /bin/true).LaunchPlan
`$straightArgs = [System.Collections.Generic.List[string]]::new()
`$planArgs = [string[]]@(`$plan.Arguments)
for (`$i = 0; `$i -lt `$planArgs.Count; `$i++) { if (`$planArgs[`$i] -eq '--status-fd') { `$i++; continue }; `$straightArgs.Add(`$planArgs[`$i]) }
if (`$straightArgs[-1] -ne '/bin/true') { throw "the straight launch lost its command: `$straightArgs" }
# The cmdlet itself is called by its CmdletInfo (-FilePath, as the front-door function calls it); the front door,
# the Invoke-SandboxedCommand function that reads a native-style command line, is measured beside it.
`$cmdletInfo = [System.Management.Automation.CmdletInfo]::new('Invoke-SandboxedCommand', [CodexSandbox.Commands.InvokeSandboxedCommandCommand])
`$offPath = Join-Path `$cfgDir 'off.toml'
`$pair = @{ straight = [System.Collections.Generic.List[double]]::new(); cmdlet = [System.Collections.Generic.List[double]]::new(); door = [System.Collections.Generic.List[double]]::new() }
foreach (`$i in 1..200) {
    `$sw = [Diagnostics.Stopwatch]::StartNew(); & `$plan.Program @straightArgs | Out-Null; `$pair.straight.Add(`$sw.Elapsed.TotalMilliseconds)
    `$sw = [Diagnostics.Stopwatch]::StartNew(); & `$cmdletInfo -ConfigPath `$offPath -FilePath /bin/true | Out-Null; `$pair.cmdlet.Add(`$sw.Elapsed.TotalMilliseconds)
    `$sw = [Diagnostics.Stopwatch]::StartNew(); Invoke-SandboxedCommand -ConfigPath `$offPath /bin/true | Out-Null; `$pair.door.Add(`$sw.Elapsed.TotalMilliseconds)
}
`$straight = (`$pair.straight | Sort-Object)[100]; `$viaCmdlet = (`$pair.cmdlet | Sort-Object)[100]; `$viaDoor = (`$pair.door | Sort-Object)[100]
`$bwrapArgs = @('--new-session','--die-with-parent','--unshare-user','--unshare-pid','--unshare-net','--cap-drop','ALL','--ro-bind','/','/','--dev','/dev','--proc','/proc')
`$cap = Get-SandboxCapability
if (`$cap.BwrapWorks) {
    `$bwrap = Measure-Median { & `$cap.BwrapPath @bwrapArgs /bin/true }
    `$both = Measure-Median { Invoke-SandboxedCommand -ConfigPath (Join-Path `$cfgDir 'req.toml') /bin/true }
}
if (`$cap.BwrapWorks) {
    # Containment cost: the bwrap path for workspace-write /bin/true, before (the host's /tmp shared, a working directory
    # with no parents inside the root) and after (a private /tmp and `$TMPDIR, two protected parents pinned and masked),
    # and the allowlist network (a private namespace, the proxy and the relay) on top.
    `$plain = New-Item -ItemType Directory -Force (Join-Path `$cfgDir 'plain'); & git init -q `$plain.FullName
    `$outer = New-Item -ItemType Directory -Force (Join-Path `$cfgDir 'outer'); & git init -q `$outer.FullName
    `$nested = New-Item -ItemType Directory -Force (Join-Path `$outer 'a/b')
    Set-Content (Join-Path `$cfgDir 'shared.toml') "[sandbox_linux]``nnamespaces = 'required'``ntmp = 'shared'"
    Set-Content (Join-Path `$cfgDir 'allow.toml') "[sandbox_linux]``nnamespaces = 'required'``n[sandbox_network]``nmode = 'allowlist'``nallowed_domains = ['example.com']"
    # Interleaved, so a change in the machine's load during the run weighs on every variant alike.
    `$variants = [ordered]@{
        before = { Invoke-SandboxedCommand -SandboxMode WorkspaceWrite -WorkingDirectory `$plain.FullName -ConfigPath (Join-Path `$cfgDir 'shared.toml') /bin/true }
        after = { Invoke-SandboxedCommand -SandboxMode WorkspaceWrite -WorkingDirectory `$nested.FullName -WritableRoot `$outer.FullName -ConfigPath (Join-Path `$cfgDir 'req.toml') /bin/true }
        allow = { Invoke-SandboxedCommand -SandboxMode WorkspaceWrite -WorkingDirectory `$plain.FullName -ConfigPath (Join-Path `$cfgDir 'allow.toml') /bin/true }
    }
    `$samples = @{}; foreach (`$k in `$variants.Keys) { `$samples[`$k] = [System.Collections.Generic.List[double]]::new(); foreach (`$i in 1..10) { & `$variants[`$k] | Out-Null } }
    foreach (`$i in 1..150) {
        foreach (`$k in `$variants.Keys) { `$sw = [Diagnostics.Stopwatch]::StartNew(); & `$variants[`$k] | Out-Null; `$samples[`$k].Add(`$sw.Elapsed.TotalMilliseconds) }
    }
    `$before, `$after, `$allow = foreach (`$k in 'before', 'after', 'allow') { (`$samples[`$k] | Sort-Object)[75] }
}
Remove-Item -Recurse -Force `$cfgDir
"& /bin/true (direct, warm pwsh): {0:N2} ms" -f `$direct
"Invoke-SandboxedCommand /bin/true, launcher alone: {0:N2} ms = {1:N2}x direct (goal <= 2x)" -f `$launcher, (`$launcher / `$direct)
"the same launch started straight from pwsh: {0:N2} ms; the cmdlet's own cost over it: {1:+0.00;-0.00} ms (goal <= 0.5 ms); through the front-door function: {2:+0.00;-0.00} ms" -f `$straight, (`$viaCmdlet - `$straight), (`$viaDoor - `$straight)
if (`$cap.BwrapWorks) {
    "& bwrap <hardened args> /bin/true: {0:N2} ms" -f `$bwrap
    "Invoke-SandboxedCommand /bin/true, bwrap + launcher: {0:N2} ms = bwrap {1:+0.00;-0.00} ms (goal <= +2 ms)" -f `$both, (`$both - `$bwrap)
    "workspace-write, bwrap: shared /tmp, no parents {0:N2} ms; private /tmp + 2 protected parents {1:N2} ms = {2:+0.00;-0.00} ms (goal <= +1 ms)" -f `$before, `$after, (`$after - `$before)
    "workspace-write, bwrap, allowlist network (private namespace, proxy, relay): {0:N2} ms = {1:+0.00;-0.00} ms over the shared-/tmp run" -f `$allow, (`$allow - `$before)
} else { "bubblewrap not usable here: `$(`$cap.BwrapProblem)" }
"@
if ($LASTEXITCODE -ne 0) { throw "cmdlet overhead benchmark failed: $overhead" }
$overhead
$launcherScript = Join-Path $PSScriptRoot 'launcher-overhead.sh'
if (Test-Path $launcherScript) { & bash $launcherScript (Join-Path (Split-Path $ModulePath) 'bin/linux-x64/codex-linux-sandbox') }
