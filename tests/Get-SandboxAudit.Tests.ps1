BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:t = New-TestCodexHome
    $script:ws = (New-Item -ItemType Directory -Force (Join-Path $t.Root 'ws')).FullName
    $script:log = Join-Path $t.Root 'audit/sandbox-audit.jsonl'
    $script:cfg = Join-Path $t.Root 'config.toml'
    Set-Content $cfg "[sandbox_workspace_write]`nexclude_slash_tmp = true`nexclude_tmpdir_env_var = true`n[sandbox_audit]`npath = '$log'`n[sandbox_rollback]`ncheckpoint = 'never'"
    Copy-Item $cfg (Join-Path $t.CodexHome 'config.toml')   # so Get-SandboxAudit finds the same log by default
    $script:common = @{ ConfigPath = $cfg; WorkingDirectory = $ws; WarningAction = 'SilentlyContinue' }
}
AfterAll { Remove-Item -Recurse -Force $t.Root -ErrorAction SilentlyContinue }

Describe 'Get-SandboxAudit' {
    BeforeAll {
        $rules = New-Item -ItemType Directory -Force (Join-Path $t.CodexHome 'rules')
        Set-Content (Join-Path $rules 'default.rules') 'prefix_rule(pattern = ["curl"], decision = "forbidden", justification = "no downloads")'
        $script:ok = Invoke-SandboxedCommand ls @common
        Invoke-SandboxedCommand -ErrorAction SilentlyContinue curl x @common
        $script:approved = Invoke-SandboxedCommand -ApprovalPolicy Untrusted -SandboxMode WorkspaceWrite -Force @common -- touch ./f
        $script:failed = Invoke-SandboxedCommand -Command 'echo secret-free; exit 3' @common
        # A command this session cannot approve is a terminating ApprovalRequired (it stops a script); it is still recorded.
        { Invoke-SandboxedCommand -ApprovalPolicy Untrusted -SandboxMode WorkspaceWrite @common -- touch ./g } | Should -Throw -ErrorId 'ApprovalRequired,CodexSandbox.Commands.InvokeSandboxedCommandCommand'
        $script:denied = Invoke-SandboxedCommand -Command 'echo x > /etc/cxsb-audit-test' @common
        Invoke-SandboxedCommand @common -- printf '%s' --password=hunter2 | Out-Null
        $script:expansion = Invoke-SandboxedCommand @common -Command 'echo "Inside: DEMO_API_KEY=${DEMO_API_KEY:-<not set>}"'
        Remove-Item -Recurse -Force $rules
    }

    It 'tells the story of allowed, rejected, approved and failing commands with -Last' {
        $records = Get-SandboxAudit -Last 20
        $records | Should -Not -BeNullOrEmpty
        $records[0] | Should -BeOfType ([CodexSandbox.AuditRecord])
        $types = $records.EventType
        foreach ($expected in 'CommandExecuted', 'CommandBlocked', 'ApprovalRequested', 'ApprovalGranted', 'ApprovalDenied', 'PolicyViolation') {
            $types | Should -Contain $expected
        }
        ($records | Where-Object EventType -EQ CommandBlocked).Reason | Should -Match 'no downloads'
        ($records | Where-Object { $_.EventType -eq 'ApprovalGranted' -and $_.DecisionSource -eq 'Force' }) | Should -Not -BeNullOrEmpty
        ($records | Where-Object { $_.EventType -eq 'ApprovalDenied' }).DecisionSource | Should -Contain 'NoPrompt'
        ($records | Format-Table | Out-String) | Should -Match 'CommandExecuted'
    }

    It 'links a result to its record with AuditId' {
        $r = Get-SandboxAudit -Id $failed.AuditId
        $r.EventType | Should -Be 'CommandExecuted'
        $r.ExitCode | Should -Be 3
        $r.Command | Should -Be 'echo secret-free; exit 3'
        $r.Stdout | Should -BeNullOrEmpty    # output is not recorded unless record_output = true
        $r.StdoutBytes | Should -Be 12
        $failed | Get-SandboxAudit | Select-Object -ExpandProperty Id | Should -Be $failed.AuditId
    }

    It 'filters by event type, decision, command wildcard and time' {
        (Get-SandboxAudit -EventType CommandBlocked).Command | Should -Be @('curl x')
        (Get-SandboxAudit -Command 'touch*' -EventType CommandExecuted).Count | Should -Be 1
        (Get-SandboxAudit -Decision Forbidden).EventType | Should -Be @('CommandBlocked')
        Get-SandboxAudit -Since (Get-Date).AddMinutes(5) | Should -BeNullOrEmpty
        (Get-SandboxAudit -Until (Get-Date).AddMinutes(5)).Count | Should -BeGreaterThan 5
    }

    It 'redacts secrets in recorded command lines' {
        $line = Get-Content $log | Where-Object { $_ -match 'printf' }
        $line | Should -Not -Match 'hunter2'
        $line | Should -Match 'REDACTED'
    }

    It 'records a parameter expansion as written: it says where a secret comes from, not the secret' {
        $expansion.Stdout | Should -Be "Inside: DEMO_API_KEY=<not set>`n"
        (Get-SandboxAudit -Id $expansion.AuditId).Command | Should -BeExactly 'echo "Inside: DEMO_API_KEY=${DEMO_API_KEY:-<not set>}"'
    }

    It 'verifies the chain, and names a record whose byte was edited' {
        $v = Get-SandboxAudit -Verify
        $v.Intact | Should -BeTrue
        $v.RecordsChecked | Should -BeGreaterThan 5
        $lines = [IO.File]::ReadAllLines($log)
        $lines[1] = $lines[1].Replace('"seq":2', '"seq":9')
        $copy = Join-Path $t.Root 'tampered.jsonl'
        [IO.File]::WriteAllLines($copy, $lines)
        $bad = Get-SandboxAudit -Verify -Path $copy
        $bad.Intact | Should -BeFalse
        $bad.FirstBadLine | Should -Be 2
        $bad.FirstBadFile | Should -Be $copy
    }

    It 'keeps the chain valid with parallel writers in several runspaces' {
        $module = (Get-Module CodexSandbox).Path -replace '\.dll$', '.psd1'
        $before = @(Get-SandboxAudit -EventType CommandExecuted).Count
        1..4 | ForEach-Object -ThrottleLimit 4 -Parallel {
            Import-Module $using:module
            foreach ($i in 1..10) { Invoke-SandboxedCommand -ConfigPath $using:cfg -WorkingDirectory $using:ws -WarningAction SilentlyContinue true | Out-Null }
        }
        @(Get-SandboxAudit -EventType CommandExecuted).Count | Should -Be ($before + 40)
        (Get-SandboxAudit -Verify).Intact | Should -BeTrue
    }

    It 'reports a corrupted line with its file and line, and skips it' {
        $copy = Join-Path $t.Root 'corrupt.jsonl'
        $lines = [Collections.Generic.List[string]][IO.File]::ReadAllLines($log)
        $lines.Insert(1, '{ this is not json')
        [IO.File]::WriteAllLines($copy, $lines)
        $r = Get-SandboxAudit -Path $copy -WarningVariable w -WarningAction SilentlyContinue
        $r.Count | Should -Be ($lines.Count - 1)
        ($w -join "`n") | Should -Match ([regex]::Escape("${copy}:2"))
    }

    It 'completes -Id with recent ids' {
        $line = "Get-SandboxAudit -Id $($failed.AuditId.Substring(0, 6))"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain $failed.AuditId
    }
}

Describe 'Verifying a large log' {
    It 'shows progress through the file, then completes' {
        $big = Join-Path $t.Root 'big/sandbox-audit.jsonl'
        $bigCfg = Join-Path $t.Root 'big.toml'
        Set-Content $bigCfg "[sandbox_audit]`npath = '$big'`nrecord_output = true`n[sandbox_rollback]`ncheckpoint = 'never'"
        # Recorded output makes one run fill several of the 1 MiB chunks the verifier reads at a time.
        $null = Invoke-SandboxedCommand -ConfigPath $bigCfg -WorkingDirectory $ws -WarningAction SilentlyContinue -Command "yes 'one two three' | head -c 4500000"
        (Get-Item $big).Length | Should -BeGreaterThan 4MB

        # The progress stream cannot be redirected in a pipeline; a PowerShell instance in its own runspace collects it
        # (one on the current runspace would hand the records to the host).
        $module = (Get-Module CodexSandbox).Path -replace '\.dll$', '.psd1'
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript('param($module, $path) Import-Module $module; $ProgressPreference = "Continue"; Get-SandboxAudit -Verify -Path $path').AddArgument($module).AddArgument($big)
            $v = $ps.Invoke()
            $progress = @($ps.Streams.Progress)
        }
        finally { $ps.Dispose() }

        $v[0].Intact | Should -BeTrue
        $percents = @($progress | Where-Object RecordType -EQ Processing | ForEach-Object PercentComplete)
        @($percents | Where-Object { $_ -gt 0 -and $_ -lt 100 }).Count | Should -BeGreaterThan 2
        $percents | Should -Be ($percents | Sort-Object)
        $progress[-1].RecordType | Should -Be 'Completed'
    }
}

Describe 'A config.toml that cannot be read' {
    It 'does not stop Get-SandboxAudit: the default log is read, with a warning naming the problem' {
        $h = New-TestCodexHome -Root (Join-Path $t.Root 'broken')
        try {
            $w2 = (New-Item -ItemType Directory -Force (Join-Path $h.Root 'ws')).FullName
            $r = Invoke-SandboxedCommand -WorkingDirectory $w2 -WarningAction SilentlyContinue -Command 'echo before'
            $r.AuditId | Should -Not -BeNullOrEmpty
            $config = Join-Path $h.CodexHome 'config.toml'
            Set-Content $config "sandbox_mode =`n[broken"
            Push-Location $w2
            try { $records = Get-SandboxAudit -WarningVariable w -WarningAction SilentlyContinue -ErrorAction Stop }
            finally { Pop-Location }
            $records.Id | Should -Contain $r.AuditId
            ($w -join "`n") | Should -Match ([regex]::Escape("${config}:1"))
            ($w -join "`n") | Should -Match ([regex]::Escape((Join-Path $h.CodexHome 'log/sandbox-audit.jsonl')))
        }
        finally { $env:CODEX_HOME = $t.CodexHome; $env:CODEXSANDBOX_SYSTEM_CONFIG_DIR = $t.System }
    }
}

Describe 'Audit failures' {
    It 'refuses to run when the audit log is required but cannot be written' {
        $blocker = Join-Path $t.Root 'not-a-dir'
        Set-Content $blocker 'a file where the log folder should be'
        $req = Join-Path $t.Root 'required.toml'
        Set-Content $req "[sandbox_audit]`nrequired = true`npath = '$blocker/log/sandbox-audit.jsonl'"
        $marker = Join-Path $ws 'should-not-exist'
        Invoke-SandboxedCommand -SandboxMode WorkspaceWrite -ConfigPath $req -WorkingDirectory $ws -Command "touch '$marker'" -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'AuditLogUnavailable,CodexSandbox.Commands.InvokeSandboxedCommandCommand'
        $err[0].Exception.Message | Should -Match 'required'
        $err[0].CategoryInfo.Category | Should -Be 'WriteError'
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'required = false'
        Test-Path $marker | Should -BeFalse
    }

    It 'warns and still runs when the log is not required' {
        $blocker = Join-Path $t.Root 'not-a-dir2'
        Set-Content $blocker 'x'
        $opt = Join-Path $t.Root 'optional.toml'
        Set-Content $opt "[sandbox_audit]`npath = '$blocker/log/sandbox-audit.jsonl'"
        $r = Invoke-SandboxedCommand -ConfigPath $opt -WorkingDirectory $ws -WarningVariable w -WarningAction SilentlyContinue true
        $r.ExitCode | Should -Be 0
        $r.AuditId | Should -BeNullOrEmpty
        ($w -join "`n") | Should -Match 'audit log'
    }
}
