# The administrator's requirements.toml through the cmdlets: read from the system folder only (the test override moves it),
# shown by Get-SandboxPolicy, checked by Test-SandboxConfig, and with danger-full-access disallowed nothing runs outside the
# sandbox: not a configured danger-full-access, not -SandboxMode DangerFullAccess, not -RequestUnsandboxed -Force, not an
# exec-policy allow rule, not the on-failure retry.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:t = New-TestCodexHome
    $script:ws = (New-Item -ItemType Directory -Force (Join-Path $t.Root 'ws')).FullName
    $script:cfg = Join-Path $t.Root 'config.toml'
    $script:req = Join-Path $t.System 'requirements.toml'
    # outside the host's temporary folders, so it is visible (and read-only) inside the sandbox
    $script:outside = (New-Item -ItemType Directory -Force (Join-Path (Get-TestBase) "outside-req-$([guid]::NewGuid().ToString('n').Substring(0, 8))")).FullName
    Set-Content $req @"
# fleet policy: never without the sandbox
allowed_sandbox_modes = ["read-only", "workspace-write"]
allowed_approval_policies = ["on-request", "on-failure", "untrusted"]
[rules]
prefix_rules = [{ pattern = [{ token = "git" }, { token = "push" }], decision = "forbidden", justification = "CI pushes" }]
"@
    Set-Content $cfg "sandbox_mode = `"danger-full-access`"`napproval_policy = `"on-request`"`n[sandbox_rollback]`ncheckpoint = 'never'"
    $script:common = @{ ConfigPath = $cfg; WorkingDirectory = $ws; WarningAction = 'SilentlyContinue' }
}
AfterAll {
    Remove-Item -Recurse -Force $t.Root, $outside -ErrorAction SilentlyContinue
}

Describe 'requirements.toml' {
    It 'shows the constraints and where they come from in Get-SandboxPolicy' {
        $p = Get-SandboxPolicy @common
        $p.RequirementsFile | Should -Be $req
        $modes = $p.Requirements | Where-Object Setting -EQ 'allowed_sandbox_modes'
        $modes.Value | Should -Be '[read-only, workspace-write]'
        $modes.Source | Should -Be 'Requirements'
        $modes.Line | Should -Be 2
        ($p.Requirements | Where-Object Setting -EQ 'rules.prefix_rules').Value | Should -Be 'forbidden git push'
        $p.UnsandboxedAllowed | Should -BeFalse
        $shown = $p | Format-List | Out-String
        $shown | Should -Match ([regex]::Escape('allowed_sandbox_modes = [read-only, workspace-write] (line 2)'))
        $shown | Should -Match 'nothing runs outside the sandbox'
    }

    It 'falls back from a configured danger-full-access to read-only, with a warning naming the file and line' {
        $p = Get-SandboxPolicy -ConfigPath $cfg -WorkingDirectory $ws -WarningVariable warned -WarningAction SilentlyContinue
        $p.SandboxMode | Should -Be 'ReadOnly'
        ($warned -join "`n") | Should -Match ([regex]::Escape("(set by ${req}:2)"))
        ($p.Provenance | Where-Object { $_.Setting -eq 'sandbox_mode' -and $_.Source -eq 'Requirements' }).Value | Should -Be 'read-only'
        $r = Invoke-SandboxedCommand @common -Command "touch '$outside/fallback'"
        $r.Succeeded | Should -BeFalse
        $r.Escalated | Should -BeFalse
        $r.SandboxMode | Should -Be 'ReadOnly'
        Test-Path (Join-Path $outside 'fallback') | Should -BeFalse
    }

    It 'refuses -SandboxMode DangerFullAccess, also with -Force, and runs nothing' {
        $err = @({ Invoke-SandboxedCommand -SandboxMode DangerFullAccess -Force @common -Command "touch '$outside/param'" } | Should -Throw -PassThru)
        $err[0].FullyQualifiedErrorId | Should -Be 'RequirementDisallowed,CodexSandbox.Commands.InvokeSandboxedCommandCommand'
        $err[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $err[0].Exception.Message | Should -Match ([regex]::Escape("${req}:2"))
        $err[0].ErrorDetails.RecommendedAction | Should -Match '-Force does not override'
        Test-Path (Join-Path $outside 'param') | Should -BeFalse
        { Get-SandboxPolicy -SandboxMode danger-full-access @common } | Should -Throw -ErrorId 'RequirementDisallowed,CodexSandbox.Commands.GetSandboxPolicyCommand'
        { Get-SandboxPolicy -ApprovalPolicy Never @common } | Should -Throw -ErrorId 'RequirementDisallowed,CodexSandbox.Commands.GetSandboxPolicyCommand'
    }

    It 'rejects -RequestUnsandboxed -Force instead of leaving the sandbox' {
        Invoke-SandboxedCommand -SandboxMode WorkspaceWrite -RequestUnsandboxed -Justification 'needs the host' -Force @common -Command "touch '$outside/escalated'" `
            -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'CommandRejected,CodexSandbox.Commands.InvokeSandboxedCommandCommand'
        $err[0].Exception.Message | Should -Match 'requirements do not allow running outside the sandbox'
        Test-Path (Join-Path $outside 'escalated') | Should -BeFalse
        $a = Test-CommandSafety -SandboxMode WorkspaceWrite -RequestUnsandboxed @common -InputObject 'ls'
        $a.Decision | Should -Be 'Forbidden'
    }

    It 'keeps a command an allow rule approves inside the sandbox' {
        $rules = New-Item -ItemType Directory -Force (Join-Path $t.CodexHome 'rules')
        Set-Content (Join-Path $rules 'allow.rules') 'prefix_rule(pattern = ["touch"], decision = "allow")'
        try {
            $r = Invoke-SandboxedCommand -SandboxMode WorkspaceWrite @common -- touch (Join-Path $outside 'ruled')
            $r.Succeeded | Should -BeFalse
            $r.Escalated | Should -BeFalse
            $r.Backend | Should -Not -BeIn @('linux-escalated', 'none')
            Test-Path (Join-Path $outside 'ruled') | Should -BeFalse
        }
        finally { Remove-Item -Recurse -Force $rules }
    }

    It 'lays its prefix rules over the user''s: forbidden even with -Force' {
        Invoke-SandboxedCommand -SandboxMode WorkspaceWrite -Force @common -ErrorVariable err -ErrorAction SilentlyContinue -- git push origin | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'CommandRejected,*'
        $err[0].Exception.Message | Should -Match 'CI pushes'
    }

    It 'does not offer the on-failure retry without the sandbox, even when Yes would be answered' {
        $module = (Get-Module CodexSandbox).Path -replace '\.dll$', '.psd1'
        $script = Join-Path $t.Root 'retry.ps1'
        Set-Content $script @"
Import-Module '$module'
`$r = Invoke-SandboxedCommand -ApprovalPolicy OnFailure -SandboxMode WorkspaceWrite -ConfigPath '$cfg' -WorkingDirectory '$ws' -WarningAction SilentlyContinue -- touch '$outside/retried'
"result=`$(`$r.LikelySandboxDenial)/`$(`$r.Escalated)/`$(Test-Path '$outside/retried')"
"@
        Push-Location (Join-Path $PSScriptRoot '..')
        try { $out = 'y' | & dotnet pwsh -NoProfile -File $script 2>&1 | ForEach-Object { "$_" } }
        finally { Pop-Location }
        ($out -join "`n") | Should -Not -Match 'WITHOUT the sandbox'
        $out | Should -Contain 'result=True/False/False'
    }

    It 'is read from the system folder only: a requirements.toml in CODEX_HOME or the project changes nothing' {
        $other = New-TestCodexHome
        try {
            Set-Content (Join-Path $other.CodexHome 'requirements.toml') 'allowed_sandbox_modes = ["read-only"]'
            $null = New-Item -ItemType Directory -Force (Join-Path $ws '.codex')
            Set-Content (Join-Path $ws '.codex/requirements.toml') 'allowed_sandbox_modes = ["read-only"]'
            $p = Get-SandboxPolicy -SandboxMode DangerFullAccess -WorkingDirectory $ws -WarningAction SilentlyContinue
            $p.SandboxMode | Should -Be 'DangerFullAccess'
            $p.RequirementsFile | Should -BeNullOrEmpty
        }
        finally {
            Remove-Item -Recurse -Force $other.Root, (Join-Path $ws '.codex') -ErrorAction SilentlyContinue
            $env:CODEX_HOME = $t.CodexHome; $env:CODEXSANDBOX_SYSTEM_CONFIG_DIR = $t.System
        }
    }

    It 'fails closed when the file does not parse, and Test-SandboxConfig points at the line' {
        $saved = [IO.File]::ReadAllText($req)
        try {
            Set-Content $req "allowed_sandbox_modes = [`"read-only`"`nallowed_approval_policies = 3"
            $err = @({ Invoke-SandboxedCommand -Force @common -Command "touch '$outside/broken'" } | Should -Throw -PassThru)
            $err[0].FullyQualifiedErrorId | Should -Be 'RequirementsInvalid,CodexSandbox.Commands.InvokeSandboxedCommandCommand'
            $err[0].Exception.Message | Should -Match ([regex]::Escape($req))
            Test-Path (Join-Path $outside 'broken') | Should -BeFalse
            $d = @(Test-SandboxConfig -ConfigPath $cfg -WorkingDirectory $ws | Where-Object Path -EQ $req)
            $d[0].Severity | Should -Be 'Error'
            $d[0].Line | Should -BeGreaterThan 0
            Test-SandboxConfig -ConfigPath $cfg -WorkingDirectory $ws -Quiet | Should -BeFalse
        }
        finally { [IO.File]::WriteAllText($req, $saved) }
    }

    It 'is checked by Test-SandboxConfig -Path: wrong types, unknown keys and Codex''s rules, each with its line' {
        $file = Join-Path $t.Root 'requirements.toml'
        Set-Content $file "allowed_sandbox_mode = [`"read-only`"]`nallowed_approval_policies = `"never`"`n[rules]`nprefix_rules = [{ pattern = [{ token = `"rm`" }], decision = `"allow`" }]"
        $d = @(Test-SandboxConfig -Path $file)
        $typo = $d | Where-Object Id -EQ 'UnknownKey'
        $typo.Line | Should -Be 1
        $typo.Message | Should -Match 'allowed_sandbox_modes'
        ($d | Where-Object { $_.Id -eq 'WrongType' -and $_.Line -eq 2 }) | Should -Not -BeNullOrEmpty
        ($d | Where-Object { $_.Message -match "decision 'allow'" }).Line | Should -Be 4
        Test-SandboxConfig -Path $req -Quiet | Should -BeTrue
    }

    It 'warns in Test-SandboxConfig about a configured value that falls back' {
        $d = @(Test-SandboxConfig -ConfigPath $cfg -WorkingDirectory $ws | Where-Object Id -EQ 'RequirementFallback')
        $d.Count | Should -Be 1
        $d[0].Message | Should -Match 'danger-full-access'
    }
}
