BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:t = New-TestCodexHome
    $script:repo = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
    $script:manifest = (Get-Module CodexSandbox).Path -replace '\.dll$', '.psd1'
    $script:pester = (Get-Module Pester).Path
    $script:example = Join-Path $repo 'docs/examples/CommandPolicy.Tests.ps1'

    function Invoke-FreshPwsh {
        # The PowerShell running these tests, started afresh without a profile: `dotnet <PSHOME>/pwsh.dll` under the
        # dotnet tool, the apphost itself otherwise. Runs in $Location with this process's environment plus $Environment
        # (a $null value removes the variable). Returns the output lines without colour codes.
        param([Parameter(Mandatory)] [string] $Script, [string] $Location = $t.Root, [hashtable] $Environment = @{})
        $exe = [Environment]::ProcessPath
        $dll = @(if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' })
        $saved = @{}
        foreach ($name in $Environment.Keys) {
            $saved[$name] = [Environment]::GetEnvironmentVariable($name)
            [Environment]::SetEnvironmentVariable($name, $Environment[$name])
        }
        Push-Location $Location
        try { & $exe @dll -NoProfile -NonInteractive -Command $Script 2>&1 | ForEach-Object { "$_" -replace "`e\[[0-9;]*m", '' } }
        finally {
            Pop-Location
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
    }

    # The order in which a fresh session imports the two modules, as script text.
    $script:imports = @{
        'CodexSandbox, then Pester' = "Import-Module '$manifest'; Import-Module '$pester'"
        'Pester, then CodexSandbox' = "Import-Module '$pester'; Import-Module '$manifest'"
        'both, then Pester again'   = "Import-Module '$manifest'; Import-Module '$pester'; Import-Module '$pester' -Force"
    }
}
AfterAll { Remove-Item -Recurse -Force $t.Root -ErrorAction SilentlyContinue }

Describe 'Pester assertions' {
    It 'registers Should operators for policy tests' {
        Push-Location $t.Root
        try {
            'git status' | Should -BeKnownSafe
            'rm -rf /' | Should -BeDangerous
            'ls -la' | Should -BeAllowed
            'rm -rf /' | Should -RequireApproval
            Test-CommandSafety 'rm -rf /' -ApprovalPolicy Never | Should -BeForbidden
            'ls' | Should -Not -BeForbidden
        }
        finally { Pop-Location }
    }

    It 'fails with a message naming the verdict' {
        { 'ls -la' | Should -BeForbidden -ErrorAction Stop } | Should -Throw -ExpectedMessage "*Expected 'ls -la' to be forbidden*KnownSafe*Allow*"
    }
}

Describe 'Pester assertions in a fresh session' {
    BeforeAll {
        # The README's rules, installed in a Codex home of their own, and its policy test as a file.
        $readme = Get-Content -Raw (Join-Path $repo 'README.md')
        $script:readmeRules = [regex]::Match($readme, '(?s)```python\r?\n(prefix_rule\(pattern = \["curl"\].*?)```').Groups[1].Value
        $script:readmeTest = [regex]::Match($readme, "(?s)``````powershell\r?\n(Describe 'our command policy'.*?)``````").Groups[1].Value
        $script:readmeHome = New-TestCodexHome -Root (Join-Path $t.Root 'readme')
        $null = New-Item -ItemType Directory -Force (Join-Path $readmeHome.CodexHome 'rules')
        Set-Content (Join-Path $readmeHome.CodexHome 'rules/team.rules') $readmeRules
        $script:readmeFile = Join-Path $readmeHome.Root 'Policy.Tests.ps1'
        Set-Content $readmeFile $readmeTest
        $env:CODEX_HOME = $t.CodexHome; $env:CODEXSANDBOX_SYSTEM_CONFIG_DIR = $t.System
    }

    It 'finds the README''s rules and policy test' {
        $readmeRules | Should -Match 'prefix_rule\(pattern = \["curl"\], decision = "forbidden"'
        $readmeTest | Should -Match "'curl https://example.com' \| Should -BeForbidden"
    }

    # One session per order: the operators used directly, the example file, and the README's test (with its rules).
    It 'works with <order> imported: the operators, the example and the README''s test' -TestCases @(
        @{ order = 'CodexSandbox, then Pester' }
        @{ order = 'Pester, then CodexSandbox' }
        @{ order = 'both, then Pester again' }
    ) {
        $out = Invoke-FreshPwsh @"
`$ErrorActionPreference = 'Stop'
$($imports[$order])
'git status' | Should -BeKnownSafe
'rm -rf /' | Should -BeDangerous
Test-CommandSafety 'rm -rf /' -ApprovalPolicy Never | Should -BeForbidden
try { 'ls -la' | Should -BeForbidden -ErrorAction Stop; 'no failure' } catch { 'failed: ' + `$_.Exception.Message }
1 | Should -Be 1
'direct: ok'
`$r = Invoke-Pester -Path '$example' -PassThru -Output Detailed
"example: `$(`$r.PassedCount)/`$(`$r.TotalCount)"
`$env:CODEX_HOME = '$($readmeHome.CodexHome)'
Set-Location '$($readmeHome.Root)'
`$r = Invoke-Pester -Path '$readmeFile' -PassThru -Output Detailed
"readme: `$(`$r.PassedCount)/`$(`$r.TotalCount)"
Remove-Module CodexSandbox
"unhooked: `$(`$null -eq `$ExecutionContext.InvokeCommand.PostCommandLookupAction)"
"@
        $because = $out -join "`n"
        $LASTEXITCODE | Should -Be 0 -Because $because
        ($out | Where-Object { $_ -like 'failed: *' }) | Should -BeLike "failed: Expected 'ls -la' to be forbidden*" -Because $because
        $out | Should -Contain 'direct: ok' -Because $because
        $out | Should -Contain 'example: 5/5' -Because $because
        $out | Should -Contain 'readme: 3/3' -Because $because
        $out | Should -Contain 'unhooked: True' -Because 'removing the module removes its command-lookup handler'
    }
}

Describe 'The documented policy test example' {
    It 'imports the manifest CODEXSANDBOX_TEST_MODULE names, else the module of this clone (out/)' {
        $staged = Join-Path $repo 'out/CodexSandbox'
        if (-not (Test-Path $staged)) { Set-ItResult -Skipped -Because 'this clone has no staged build (./build.ps1 Build)'; return }
        $missing = Join-Path $t.Root 'no-such-module/CodexSandbox.psd1'
        $out = Invoke-FreshPwsh -Environment @{ CODEXSANDBOX_TEST_MODULE = $missing } @"
Import-Module '$pester'
`$r = Invoke-Pester -Path '$example' -PassThru -Output Detailed
"named: `$(`$r.PassedCount)/`$(`$r.TotalCount)"
`$env:CODEXSANDBOX_TEST_MODULE = `$null
`$r = Invoke-Pester -Path '$example' -PassThru -Output None
"clone: `$(`$r.PassedCount)/`$(`$r.TotalCount) from `$((Get-Module CodexSandbox).ModuleBase)"
"@
        $because = $out -join "`n"
        $out | Should -Contain 'named: 0/5' -Because $because
        $because | Should -BeLike '*no-such-module*'
        @($out)[-1] | Should -BeLike "clone: 5/5 from $staged*" -Because $because
    }

    It 'runs with the command the README gives' {
        $readme = Get-Content -Raw (Join-Path $repo 'README.md')
        $line = [regex]::Match($readme, '(?m)^dotnet pwsh -NoProfile -Command .*CommandPolicy\.Tests\.ps1"$').Value
        $line | Should -Not -BeNullOrEmpty -Because 'the README shows how to run the example'
        # The README names the default NuGet folder; a machine with NUGET_PACKAGES elsewhere has Pester there instead.
        $documented = '~/.nuget/packages/pester/5.7.1/tools/Pester.psd1'
        if (-not (Test-Path $documented)) { $line = $line.Replace($documented, $pester) }
        Push-Location $repo
        try { $out = & bash -c $line 2>&1 | ForEach-Object { "$_" -replace "`e\[[0-9;]*m", '' } }
        finally { Pop-Location }
        ($out -join "`n") | Should -Match 'Tests Passed: 5, Failed: 0' -Because ($out -join "`n")
    }
}
