#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, stages, tests, demonstrates and benchmarks the CodexSandbox module.
.DESCRIPTION
    Tasks: Build (stage out/CodexSandbox/<version>/), Help (markdown -> MAML), Test (xunit, then Pester in a child
    `pwsh -NoProfile -NonInteractive`; lists the skipped tests grouped by reason, then ends with one line
    "N passed, N failed"), Demo, Bench, Clean.
    Run it with the pinned PowerShell: `dotnet tool restore; dotnet pwsh ./build.ps1 Test`.

    Build is incremental: the module publish, the NativeAOT launcher publish and the help build each run only when
    the SHA-256 of their inputs (sources, csproj, Directory.*.props, global.json, SDK version, build arguments)
    differs from the stamp in artifacts/stamps/ written after their last success, or their output is missing.
    The stage itself is reassembled from those outputs on every run. Clean removes outputs and stamps.
.PARAMETER Filter
    Test only: run just the tests whose name contains this string. xunit gets
    `--filter "FullyQualifiedName~<Filter>"` (namespace.class.method); Pester gets `Filter.FullName = "*<Filter>*"`
    (the Describe/Context/It names joined by dots; file names are not matched).
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Help', 'Test', 'Demo', 'Bench', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # letters, digits, space, '.', '_', '-': nothing that is syntax in a dotnet test filter or a wildcard
    [ValidatePattern('^[\w .-]+$')]
    [string] $Filter
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$Root = $PSScriptRoot
$Version = (Import-PowerShellDataFile (Join-Path $Root 'CodexSandbox.psd1')).ModuleVersion
$Stage = Join-Path $Root "out/CodexSandbox/$Version"
$Artifacts = Join-Path $Root 'artifacts'
$SdkVersion = $null   # `dotnet --version`, read once by Get-SharedInputs

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

function Get-InputHash {
    # SHA-256 over the build arguments and every input file (relative path + content), bin/ and obj/ excluded.
    # Content, not write times: a touched but unchanged file costs nothing, and a checkout that keeps old times
    # still rebuilds.
    param([string[]] $Paths, [string[]] $Extra = @())
    $sha = [System.Security.Cryptography.IncrementalHash]::CreateHash([System.Security.Cryptography.HashAlgorithmName]::SHA256)
    $add = { param([string] $text) $sha.AppendData([System.Text.Encoding]::UTF8.GetBytes("$text`n")) }
    foreach ($item in $Extra) { & $add "arg:$item" }
    $files = foreach ($path in $Paths) {
        $full = Join-Path $Root $path
        if (Test-Path $full -PathType Leaf) { Get-Item -Force $full }
        elseif (Test-Path $full -PathType Container) {
            Get-ChildItem -Force -Recurse -File $full | Where-Object {
                $_.FullName.Substring($Root.Length) -notmatch '[\\/](bin|obj)[\\/]'
            }
        }
        else { & $add "missing:$path" }
    }
    foreach ($file in $files | Sort-Object { $_.FullName.Substring($Root.Length) } -CaseSensitive -Unique) {
        & $add "file:$($file.FullName.Substring($Root.Length).Replace('\', '/'))"
        $sha.AppendData([System.Security.Cryptography.SHA256]::HashData([System.IO.File]::ReadAllBytes($file.FullName)))
    }
    [System.Convert]::ToHexString($sha.GetHashAndReset())
}

function Invoke-Step {
    # Runs $Action unless the stamp for $Name holds $Hash and every path in $Outputs exists.
    # The stamp is removed before the step and written only after it succeeds, so a failure always rebuilds.
    param([string] $Name, [string] $Hash, [string[]] $Outputs, [scriptblock] $Action, [switch] $Force)
    $stamp = Join-Path $Artifacts "stamps/$Name.stamp"
    $upToDate = -not $Force -and (Test-Path $stamp) -and ((Get-Content -Raw $stamp).Trim() -eq $Hash) -and
        -not ($Outputs | Where-Object { -not (Test-Path $_) })
    if ($upToDate) { Write-Host "$Name is up to date (inputs unchanged since the last build)."; return }
    if (Test-Path $stamp) { Remove-Item -Force $stamp }
    & $Action | Out-Host
    New-Item -ItemType Directory -Force (Split-Path $stamp) | Out-Null
    Set-Content -Path $stamp -Value $Hash -NoNewline
}

function Get-SharedInputs {
    # What every dotnet build here depends on besides its own project: repository-wide MSBuild and SDK settings,
    # and the SDK actually picked (global.json rolls forward).
    if (-not $script:SdkVersion) { $script:SdkVersion = "$(& dotnet --version)".Trim() }
    [pscustomobject]@{
        # (missing files count too: one appearing changes the hash)
        Paths = @('Directory.Build.props', 'Directory.Packages.props', 'Directory.Build.targets', 'global.json', 'NuGet.config', 'nuget.config',
            '.editorconfig', 'src/Directory.Build.props', 'src/Directory.Build.targets', 'tools/Directory.Build.props', 'tools/Directory.Build.targets')
        Extra = @("sdk=$script:SdkVersion", "configuration=$Configuration", "version=$Version")
    }
}

function Invoke-Build {
    $shared = Get-SharedInputs
    $publish = Join-Path $Artifacts 'publish/CodexSandbox'
    $rootFiles = 'CodexSandbox.dll', 'CodexSandbox.pdb', 'CodexSandbox.Contracts.dll', 'CodexSandbox.Contracts.pdb'
    # The engine and what it loads: Tomlyn, and (only when audit export to OpenTelemetry is configured) the
    # OpenTelemetry SDK with its Microsoft.Extensions.* and DiagnosticSource, all into the engine's load context.
    $depFiles = 'CodexSandbox.Engine.dll', 'CodexSandbox.Engine.pdb', 'Tomlyn.dll', 'OpenTelemetry.dll', 'OpenTelemetry.Exporter.OpenTelemetryProtocol.dll'
    $moduleHash = Get-InputHash -Paths (@('src/CodexSandbox', 'src/CodexSandbox.Contracts', 'src/CodexSandbox.Engine', 'src/Shared') + $shared.Paths) -Extra ($shared.Extra + 'module-publish-1')
    Invoke-Step -Name 'module' -Hash $moduleHash -Outputs (($rootFiles + $depFiles) | ForEach-Object { Join-Path $publish $_ }) -Action {
        if (Test-Path $publish) { Remove-Item -Recurse -Force $publish }
        Invoke-Dotnet publish (Join-Path $Root 'src/CodexSandbox/CodexSandbox.csproj') -c $Configuration -o $publish "-p:Version=$Version" --nologo -v quiet
    }

    $launcher = Join-Path $Root 'src/CodexSandbox.Launcher/CodexSandbox.Launcher.csproj'
    $launcherOut = $null
    if ((Test-Path $launcher) -and $IsLinux) {
        $rid = if ([System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture -eq 'Arm64') { 'linux-arm64' } else { 'linux-x64' }
        $launcherOut = Join-Path $Artifacts "publish/launcher/$rid"
        $launcherHash = Get-InputHash -Paths (@('src/CodexSandbox.Launcher', 'src/Shared') + $shared.Paths) -Extra ($shared.Extra + "rid=$rid" + 'launcher-publish-1')
        Invoke-Step -Name "launcher-$rid" -Hash $launcherHash -Outputs (Join-Path $launcherOut 'codex-linux-sandbox') -Action {
            if (Test-Path $launcherOut) { Remove-Item -Recurse -Force $launcherOut }
            Invoke-Dotnet publish $launcher -c Release -r $rid -o $launcherOut --nologo -v quiet
        }
    }

    $helpOut = Invoke-HelpBuild

    # The stage is reassembled from the outputs above every time (a copy, well under a second), so it never
    # keeps a file from an older build.
    if (Test-Path $Stage) { Remove-Item -Recurse -Force $Stage }
    $deps = New-Item -ItemType Directory -Force (Join-Path $Stage 'Dependencies')
    # Named files only. The engine and Tomlyn go to Dependencies/ and nowhere else: a copy at the root
    # would be found by default probing and defeat the load-context isolation.
    foreach ($name in $rootFiles) { Copy-Item (Join-Path $publish $name) $Stage }
    foreach ($name in $depFiles) { Copy-Item (Join-Path $publish $name) $deps }
    # The rest of the engine's dependency closure, named by the publish (every other assembly it produced).
    Get-ChildItem $publish -Filter *.dll | Where-Object { $_.Name -notin $rootFiles -and $_.Name -notin $depFiles } | Copy-Item -Destination $deps
    Copy-Item (Join-Path $Root 'CodexSandbox.psd1') $Stage
    Copy-Item (Join-Path $Root 'module/*') $Stage -Recurse
    if ($launcherOut) {
        $bin = New-Item -ItemType Directory -Force (Join-Path $Stage "bin/$rid")
        Copy-Item (Join-Path $launcherOut 'codex-linux-sandbox') $bin
    }
    if ($helpOut) { Copy-Item $helpOut $Stage -Recurse }
    Write-Host "Staged CodexSandbox $Version in $Stage"
}

function Invoke-HelpBuild {
    # Builds the MAML help into artifacts/publish/help/en-US (skipped when its inputs are unchanged); returns that folder.
    param([switch] $Force)
    $builder = Join-Path $Root 'tools/CodexSandbox.HelpBuilder/CodexSandbox.HelpBuilder.csproj'
    if (-not (Test-Path $builder)) { return $null }
    $shared = Get-SharedInputs
    $out = Join-Path $Artifacts 'publish/help/en-US'
    $hash = Get-InputHash -Paths (@('tools/CodexSandbox.HelpBuilder', 'docs/en-US', 'docs/configuration.md') + $shared.Paths) -Extra ($shared.Extra + 'help-build-2')
    Invoke-Step -Name 'help' -Hash $hash -Outputs $out -Force:$Force -Action {
        if (Test-Path $out) { Remove-Item -Recurse -Force $out }
        # the pages of docs/en-US plus about_CodexSandbox_Configuration, made from docs/configuration.md (one source for both)
        $source = Join-Path $Artifacts 'obj/help-source'
        if (Test-Path $source) { Remove-Item -Recurse -Force $source }
        $null = New-Item -ItemType Directory -Force $source
        Copy-Item (Join-Path $Root 'docs/en-US/*.md') $source
        ConvertTo-AboutPage -Path (Join-Path $Root 'docs/configuration.md') -Topic 'about_CodexSandbox_Configuration' |
            Set-Content -Path (Join-Path $source 'about_CodexSandbox_Configuration.help.md') -Encoding utf8NoBOM
        Invoke-Dotnet run --project $builder -c Release -- $source $out | Out-Host
    }
    $out
}

function ConvertTo-AboutPage {
    # A docs page as an about topic: its first paragraph is the SHORT DESCRIPTION, the rest the LONG DESCRIPTION (its own
    # sections one level down, so they stay subsections of it).
    param([string] $Path, [string] $Topic)
    $lines = (Get-Content -Raw $Path) -split "`n"
    $body = @($lines | Select-Object -Skip 1)
    $firstText = [array]::FindIndex([string[]] $body, [Predicate[string]] { param($l) $l.Trim() -ne '' })
    $end = [array]::FindIndex([string[]] $body, $firstText, [Predicate[string]] { param($l) $l.Trim() -eq '' })
    if ($end -lt 0) { $end = $body.Count }
    $short = ($body[$firstText..($end - 1)] -join ' ') -replace '\s+', ' '
    $inFence = $false
    $long = foreach ($line in $body[$end..($body.Count - 1)]) {
        if ($line -match '^```') { $inFence = -not $inFence }
        if (-not $inFence -and $line -match '^#{2,} ') { '#' + $line } else { $line }
    }
    @("# $Topic", '', '## SHORT DESCRIPTION', $short, '', '## LONG DESCRIPTION') + $long -join "`n"
}

function Invoke-Help {
    # The Help task always rebuilds the help and puts it into the stage.
    $out = Invoke-HelpBuild -Force
    if (-not $out) { return }
    $target = Join-Path $Stage 'en-US'
    if (Test-Path $target) { Remove-Item -Recurse -Force $target }
    New-Item -ItemType Directory -Force $Stage | Out-Null
    Copy-Item $out $Stage -Recurse
}

function Get-TrxCounts {
    param([string] $Directory)
    $passed = 0; $failed = 0
    $skipped = [System.Collections.Generic.List[object]]::new()
    foreach ($trx in Get-ChildItem $Directory -Filter *.trx -ErrorAction SilentlyContinue) {
        $run = ([xml](Get-Content -Raw $trx.FullName)).TestRun
        $counters = $run.ResultSummary.Counters
        $passed += [int]$counters.passed
        $failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        # A skipped xunit test is a result with outcome NotExecuted and the Skip text as its message (the counters
        # leave it out).
        foreach ($result in $run.SelectNodes("*[local-name()='Results']/*[local-name()='UnitTestResult'][@outcome='NotExecuted']")) {
            $message = $result.SelectSingleNode("*[local-name()='Output']/*[local-name()='ErrorInfo']/*[local-name()='Message']")
            $skipped.Add([pscustomobject]@{ Name = $result.testName; Reason = if ($message) { $message.InnerText.Trim() } else { 'no reason given' } })
        }
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed; Skipped = $skipped }
}

function Write-SkipSummary {
    # Every skipped test, grouped by its reason, so a machine that cannot run some tests (a hosted runner without user
    # namespaces, another OS) says which and why. Printed before the final "N passed, N failed" line.
    param([object[]] $Xunit, [object[]] $Pester, [object[]] $Projects)
    $all = @($Xunit) + @($Pester) + @($Projects) | Where-Object { $_ }
    if (-not $all) { Write-Host 'Skipped: none.'; return }
    $parts = @("xunit $(@($Xunit | Where-Object { $_ }).Count)", "Pester $(@($Pester | Where-Object { $_ }).Count)")
    if ($Projects) { $parts += "whole test projects $(@($Projects).Count)" }
    Write-Host "Skipped: $($all.Count) ($($parts -join ', ')), by reason:"
    foreach ($group in $all | Group-Object Reason | Sort-Object Count -Descending) {
        Write-Host ("  {0} x {1}" -f $group.Count, $group.Name)
        foreach ($test in $group.Group) { Write-Host "      $($test.Name)" }
    }
}

function Invoke-Test {
    Invoke-Build
    $results = Join-Path $Artifacts 'testresults'
    if (Test-Path $results) { Remove-Item -Recurse -Force $results }
    $xunitFailed = $false
    $skippedProjects = @()
    foreach ($project in Get-ChildItem (Join-Path $Root 'tests') -Filter *.Tests.csproj -Recurse) {
        if ($project.BaseName -eq 'CodexSandbox.Launcher.Tests' -and -not $IsLinux) {
            # Every test there starts the NativeAOT Linux launcher (Landlock, seccomp, bubblewrap), which exists only on Linux.
            $skippedProjects += [pscustomobject]@{ Name = "$($project.BaseName) (the whole project)"; Reason = 'the launcher codex-linux-sandbox and everything these tests attempt are Linux only' }
            continue
        }
        $env:CODEXSANDBOX_LAUNCHER = Get-ChildItem (Join-Path $Stage 'bin') -Filter codex-linux-sandbox -Recurse -ErrorAction SilentlyContinue |
            Select-Object -First 1 -ExpandProperty FullName
        $filterArgs = if ($Filter) { @('--filter', "FullyQualifiedName~$Filter") } else { @() }
        $noMatch = $false
        & dotnet test $project.FullName -c $Configuration --nologo --logger "trx;LogFilePrefix=$($project.BaseName)" --results-directory $results @filterArgs |
            ForEach-Object { if ("$_" -match 'No test matches the given testcase filter') { $noMatch = $true }; $_ } | Out-Host
        # A filter that matches nothing in this project is 0 tests run, not a failure.
        if ($LASTEXITCODE -ne 0 -and -not ($Filter -and $noMatch)) { $xunitFailed = $true }
    }
    $xunit = Get-TrxCounts $results

    Invoke-Dotnet restore (Join-Path $Root 'tests/PesterRestore/PesterRestore.csproj') --nologo -v quiet
    $packages = ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
    $pester = Join-Path $packages 'pester/5.7.1/tools/Pester.psd1'
    $summary = Join-Path $Artifacts 'pester-summary.json'
    if (Test-Path $summary) { Remove-Item -Force $summary }
    $pesterArgs = @('-PesterPath', $pester, '-ModulePath', (Join-Path $Stage 'CodexSandbox.psd1'), '-SummaryPath', $summary)
    if ($Filter) { $pesterArgs += @('-FullNameFilter', "*$Filter*") }
    $code = Invoke-ChildPwsh (Join-Path $Root 'tests/Invoke-PesterTests.ps1') $pesterArgs
    $pesterCounts = if (Test-Path $summary) { Get-Content -Raw $summary | ConvertFrom-Json } else { [pscustomobject]@{ Passed = 0; Failed = 1; SkippedTests = @() } }

    $passed = $xunit.Passed + $pesterCounts.Passed
    $failed = $xunit.Failed + $pesterCounts.Failed
    if ($failed -eq 0 -and ($xunitFailed -or $code -ne 0)) { $failed = 1 }   # a runner crash counts as a failure
    Write-SkipSummary -Xunit $xunit.Skipped -Pester $pesterCounts.SkippedTests -Projects $skippedProjects
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed; Pester: $($pesterCounts.Passed) passed, $($pesterCounts.Failed) failed"
    if ($Filter) {
        Write-Host "FILTERED RUN (-Filter '$Filter': xunit FullyQualifiedName~$Filter, Pester FullName *$Filter*), not the full suite."
        if ($passed + $failed + @($xunit.Skipped).Count + @($pesterCounts.SkippedTests).Count -eq 0) { Write-Warning "No test matched '$Filter'." }
    }
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
