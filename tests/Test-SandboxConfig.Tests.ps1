BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'Test-SandboxConfig' {
    BeforeEach { $script:t = New-TestCodexHome }
    AfterEach { Remove-Item -Recurse -Force $t.Root -ErrorAction SilentlyContinue }

    It 'names the line and column of a syntax error' {
        $f = Join-Path $t.Root 'broken.toml'
        Set-Content $f "sandbox_mode = 'read-only'`n[sandbox_limits`ncpu_seconds = 1"
        $d = Test-SandboxConfig -Path $f
        $d | Should -BeOfType ([CodexSandbox.ConfigDiagnostic])
        $d[0].Severity | Should -Be 'Error'
        $d[0].Id | Should -Be 'SyntaxError'
        $d[0].Line | Should -Be 2
        $d[0].Column | Should -BeGreaterThan 0
        $d[0].Path | Should -Be $f
    }

    It 'reports <id> for <toml>' -TestCases @(
        @{ toml = "sandbox_mode = 'sometimes'"; id = 'UnknownValue'; key = 'sandbox_mode'; severity = 'Error' }
        @{ toml = "[sandbox_workspace_write]`nnetwork_access = 'yes'"; id = 'WrongType'; key = 'sandbox_workspace_write.network_access'; severity = 'Error' }
        @{ toml = "[sandbox_workspace_write]`nwritable_roots = ['relative/dir']"; id = 'RelativePath'; key = 'sandbox_workspace_write.writable_roots'; severity = 'Error' }
        @{ toml = "[sandbox_limits]`ncpu_secs = 3"; id = 'UnknownKey'; key = 'sandbox_limits.cpu_secs'; severity = 'Warning' }
        @{ toml = "[sandbox_limits]`ntimeout_sec = -1"; id = 'OutOfRange'; key = 'sandbox_limits.timeout_sec'; severity = 'Error' }
    ) {
        $f = Join-Path $t.Root 'c.toml'
        Set-Content $f $toml
        $d = Test-SandboxConfig -Path $f
        $d | Should -HaveCount 1
        $d.Id | Should -Be $id
        $d.Key | Should -Be $key
        $d.Severity | Should -Be $severity
        $d.Line | Should -BeGreaterThan 0
    }

    It 'is silent for a valid real-world file full of other Codex settings' {
        $f = Join-Path $t.Root 'ok.toml'
        Set-Content $f "model = 'gpt-5'`nsandbox_mode = 'workspace-write'`n[mcp_servers.docs]`ncommand = 'npx'`n[tui]`nnotifications = true"
        Test-SandboxConfig -Path $f | Should -BeNullOrEmpty
        Test-SandboxConfig -Path $f -Quiet | Should -BeTrue
    }

    It '-Quiet returns $false when there is an error and $true for warnings only' {
        $bad = Join-Path $t.Root 'bad.toml'; Set-Content $bad "approval_policy = 'x'"
        $warn = Join-Path $t.Root 'warn.toml'; Set-Content $warn "[sandbox_audit]`nenable = true"
        Test-SandboxConfig -Path $bad -Quiet | Should -BeFalse
        Test-SandboxConfig -Path $warn -Quiet | Should -BeTrue
    }

    It 'takes files from the pipeline and reports a missing one without stopping' {
        $a = Join-Path $t.Root 'a.toml'; Set-Content $a "sandbox_mode = 'x'"
        $b = Join-Path $t.Root 'b.toml'; Set-Content $b "approval_policy = 'y'"
        $d = Get-ChildItem $t.Root -Filter *.toml | Test-SandboxConfig
        $d.Key | Sort-Object | Should -Be @('approval_policy', 'sandbox_mode')
        $out = @(Join-Path $t.Root 'missing.toml'), $a | Test-SandboxConfig -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be 'ConfigNotFound,CodexSandbox.Commands.TestSandboxConfigCommand'
        $out.Key | Should -Be 'sandbox_mode'
    }

    It 'reports a broken rules file in effect as an error, with line and column, and -Quiet says $false' {
        $rules = New-Item -ItemType Directory -Force (Join-Path $t.CodexHome 'rules')
        Set-Content (Join-Path $rules 'default.rules') "prefix_rule(pattern = [`"curl`"], decision = `"forbidden`")`n`nprefix_rule(pattern = [`"wget`"]"
        $d = @(Test-SandboxConfig -WorkingDirectory $t.Root | Where-Object Path -Like '*default.rules')
        $d | Should -HaveCount 1
        $d[0].Severity | Should -Be 'Error'
        $d[0].Id | Should -Be 'SyntaxError'
        $d[0].Line | Should -BeGreaterOrEqual 3
        $d[0].Column | Should -BeGreaterThan 0
        $d[0].Message | Should -Match 'no command runs until this file is fixed'
        Test-SandboxConfig -WorkingDirectory $t.Root -Quiet | Should -BeFalse
        Remove-Item -Recurse -Force $rules
        Test-SandboxConfig -WorkingDirectory $t.Root -Quiet | Should -BeTrue
    }

    It 'checks a .rules file given by path, including its examples' {
        $f = Join-Path $t.Root 'team.rules'
        Set-Content $f 'prefix_rule(pattern = ["git", "push"], decision = "prompt", match = ["git status"])'
        $d = Test-SandboxConfig -Path $f
        $d.Severity | Should -Be 'Error'
        $d.Id | Should -Be 'ExampleFailed'
        $d.Line | Should -Be 1
        Test-SandboxConfig -Path $f -Quiet | Should -BeFalse
        Set-Content $f 'prefix_rule(pattern = ["git", "push"], decision = "prompt", match = ["git push origin"])'
        Test-SandboxConfig -Path $f -Quiet | Should -BeTrue
    }

    It 'checks the layers in effect, including an unknown profile name' {
        Set-Content (Join-Path $t.CodexHome 'config.toml') "profile = 'nope'`n[profiles.ci]"
        $d = Test-SandboxConfig -WorkingDirectory $t.Root
        $d.Id | Should -Contain 'UnknownProfile'
        ($d | Where-Object Id -EQ 'UnknownProfile').Message | Should -Match 'defined: ci'
    }
}

Describe 'Test-SandboxConfig: keys nobody knows' {
    BeforeEach { $script:t = New-TestCodexHome }
    AfterEach { Remove-Item -Recurse -Force $t.Root -ErrorAction SilentlyContinue }

    It 'warns about a typo with the closest key, here and on use, and stays silent about Codex''s own keys' {
        Set-Content (Join-Path $t.CodexHome 'config.toml') "model = 'o3'`nsandbox_modee = 'read-only'`n[mcp_servers.x]`ncommand = 'y'"
        $d = Test-SandboxConfig -WorkingDirectory $t.Root
        $d | Should -HaveCount 1
        $d.Id | Should -Be 'UnknownKey'
        $d.Message | Should -Match "did you mean 'sandbox_mode'\?"
        Get-SandboxPolicy -WorkingDirectory $t.Root -WarningVariable w -WarningAction SilentlyContinue | Out-Null
        ($w | Out-String) | Should -Match "sandbox_modee.*did you mean 'sandbox_mode'"
    }
}
