BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'Get-SandboxPolicy' {
    BeforeEach {
        $script:t = New-TestCodexHome
        $script:proj = New-Item -ItemType Directory -Force (Join-Path $t.Root 'proj')
        New-Item -ItemType Directory -Force (Join-Path $proj '.git') | Out-Null
    }
    AfterEach { Remove-Item -Recurse -Force $t.Root -ErrorAction SilentlyContinue }

    It 'defaults to read-only and on-request for an untrusted project' {
        $p = Get-SandboxPolicy -WorkingDirectory $proj
        $p | Should -BeOfType ([CodexSandbox.SandboxPolicy])
        $p.SandboxMode | Should -Be ([CodexSandbox.SandboxMode]::ReadOnly)
        $p.ApprovalPolicy | Should -Be ([CodexSandbox.ApprovalPolicy]::OnRequest)
        $p.NetworkAccess | Should -BeFalse
        $p.WritableRoots | Should -HaveCount 0
    }

    It 'accepts the config spellings for -SandboxMode and -ApprovalPolicy' {
        $p = Get-SandboxPolicy -WorkingDirectory $proj -SandboxMode workspace-write -ApprovalPolicy on-failure
        $p.SandboxMode | Should -Be 'WorkspaceWrite'
        $p.ApprovalPolicy | Should -Be 'OnFailure'
        $p.WritableRoots.Path | Should -Contain $proj.FullName
        $p.ProtectedPaths | Should -Contain (Join-Path $proj.FullName '.git')
    }

    It 'reads the user config and records where each value came from' {
        Set-Content (Join-Path $t.CodexHome 'config.toml') "model = 'gpt-5'`nsandbox_mode = 'workspace-write'`n[sandbox_workspace_write]`nnetwork_access = true"
        $p = Get-SandboxPolicy -WorkingDirectory $proj
        $p.NetworkMode | Should -Be 'On'
        $origin = $p.Provenance | Where-Object Setting -EQ 'sandbox_workspace_write.network_access'
        $origin.Source | Should -Be 'User'
        $origin.Line | Should -Be 4
        ($p | Format-List | Out-String) | Should -Match 'network_access = true <- User .*config\.toml:4'
    }

    It 'shows mode, approval, roots, protected paths, network, environment and provenance in the list view' {
        $text = Get-SandboxPolicy -WorkingDirectory $proj -SandboxMode WorkspaceWrite | Format-List | Out-String
        foreach ($label in 'SandboxMode', 'ApprovalPolicy', 'WritableRoots', 'ProtectedPaths', 'NetworkMode', 'EnvironmentPolicy', 'Provenance') {
            $text | Should -Match "$label\s+:"
        }
        $text | Should -Match 'sandbox_mode = workspace-write <- parameter'
    }

    It 'removes secret-looking variables from the sandbox environment' {
        $env:CXSB_TEST_API_KEY = 'sk-test'
        try {
            $p = Get-SandboxPolicy -WorkingDirectory $proj
            $p.Environment.ContainsKey('CXSB_TEST_API_KEY') | Should -BeFalse
            ($p.EnvironmentRemoved | Where-Object Name -EQ 'CXSB_TEST_API_KEY').Reason | Should -Be 'default exclude *KEY*'
        }
        finally { Remove-Item Env:CXSB_TEST_API_KEY }
    }

    It 'fails with ConfigParseError naming file, line and column for malformed TOML' {
        Set-Content (Join-Path $t.CodexHome 'config.toml') "sandbox_mode = 'read-only'`napproval_policy = = 'never'"
        $err = $null
        try { Get-SandboxPolicy -WorkingDirectory $proj } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'ConfigParseError,CodexSandbox.Commands.GetSandboxPolicyCommand'
        $err.CategoryInfo.Category | Should -Be 'ParserError'
        $err.Exception.Message | Should -Match ([regex]::Escape('config.toml:2:19'))
    }

    It 'fails with ConfigValueError naming the accepted values for a bad enum' {
        Set-Content (Join-Path $t.CodexHome 'config.toml') "sandbox_mode = 'read_only'"
        { Get-SandboxPolicy -WorkingDirectory $proj } | Should -Throw -ErrorId 'ConfigValueError,CodexSandbox.Commands.GetSandboxPolicyCommand' -ExpectedMessage '*"read-only", "workspace-write", "danger-full-access"*'
    }

    It 'rejects an unknown -SandboxMode value with the accepted values' {
        { Get-SandboxPolicy -SandboxMode sometimes } | Should -Throw -ExpectedMessage '*ReadOnly*WorkspaceWrite*DangerFullAccess*'
    }

    It 'names the defined profiles when -Profile is unknown' {
        Set-Content (Join-Path $t.CodexHome 'config.toml') "[profiles.ci]`napproval_policy = 'never'"
        { Get-SandboxPolicy -WorkingDirectory $proj -Profile nope } | Should -Throw -ErrorId 'ProfileNotFound,CodexSandbox.Commands.GetSandboxPolicyCommand' -ExpectedMessage '*Defined profiles: ci*'
        (Get-SandboxPolicy -WorkingDirectory $proj -Profile ci).ApprovalPolicy | Should -Be 'Never'
    }

    It 'uses -ConfigPath instead of the user config, and reports a missing one' {
        $alt = Join-Path $t.Root 'alt.toml'
        Set-Content $alt "approval_policy = 'never'"
        (Get-SandboxPolicy -WorkingDirectory $proj -ConfigPath $alt).ConfigFiles | Should -Be @($alt)
        { Get-SandboxPolicy -ConfigPath (Join-Path $t.Root 'missing.toml') } | Should -Throw -ErrorId 'ConfigNotFound,CodexSandbox.Commands.GetSandboxPolicyCommand'
    }

    It 'reports a missing working directory' {
        { Get-SandboxPolicy -WorkingDirectory (Join-Path $t.Root 'nope') } | Should -Throw -ErrorId 'WorkingDirectoryNotFound,CodexSandbox.Commands.GetSandboxPolicyCommand'
    }

    It 'loads a trusted project''s .codex/config.toml and ignores an untrusted one' {
        New-Item -ItemType Directory -Force (Join-Path $proj '.codex') | Out-Null
        Set-Content (Join-Path $proj '.codex/config.toml') "approval_policy = 'never'"
        (Get-SandboxPolicy -WorkingDirectory $proj -WarningAction SilentlyContinue).ApprovalPolicy | Should -Be 'OnRequest'
        Set-Content (Join-Path $t.CodexHome 'config.toml') "[projects.'$($proj.FullName)']`ntrust_level = 'trusted'"
        $p = Get-SandboxPolicy -WorkingDirectory $proj
        $p.ApprovalPolicy | Should -Be 'Never'
        $p.TrustLevel | Should -Be 'trusted'
        $p.SandboxMode | Should -Be 'WorkspaceWrite'
    }

    It 'completes profile names from the config in effect' {
        Set-Content (Join-Path $t.CodexHome 'config.toml') "[profiles.ci]`n[profiles.dev]`n[profiles.'with space']"
        $line = 'Get-SandboxPolicy -Profile '
        $names = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $names | Should -Be @('ci', 'dev', "'with space'")
    }
}

Describe 'Get-SandboxPolicy -TargetPlatform' {
    BeforeAll {
        $script:t = New-TestCodexHome
        $script:proj = New-Item -ItemType Directory -Force (Join-Path $t.Root 'proj')
        New-Item -ItemType Directory -Force (Join-Path $proj '.git') | Out-Null
    }
    AfterAll { Remove-Item -Recurse -Force $t.Root -ErrorAction SilentlyContinue }

    It 'shows a Seatbelt profile with deny default, the read rule, the root with .git excluded and no network rule' {
        $plan = (Get-SandboxPolicy -TargetPlatform MacOS -SandboxMode WorkspaceWrite -WorkingDirectory $proj).LaunchPlan
        $plan.Platform | Should -Be 'MacOS'
        $plan.Program | Should -Be '/usr/bin/sandbox-exec'
        $plan.Profile | Should -Match '\(deny default\)'
        $plan.Profile | Should -Match '\(allow file-read\*\)'
        $plan.Profile | Should -Match 'require-not \(subpath \(param "WRITABLE_ROOT_\d+_EXCLUDED_\d+"\)\)'
        $plan.Profile | Should -Not -Match 'network-outbound'
        ($plan.Arguments -join "`n") | Should -Match ([regex]::Escape("$($proj.FullName)/.git"))
        $plan.EnvironmentChanges['CODEX_SANDBOX'] | Should -Be 'seatbelt'
    }

    It 'gives a networked Seatbelt profile TLS trust but no write to the user cache folder (Codex #21443)' {
        $plan = (Get-SandboxPolicy -TargetPlatform MacOS -SandboxMode WorkspaceWrite -NetworkAccess -WorkingDirectory $proj).LaunchPlan
        $plan.Profile | Should -Match 'network-outbound'
        $plan.Profile | Should -Match 'com\.apple\.trustd\.agent'
        $plan.Profile | Should -Not -Match 'DARWIN_USER_CACHE_DIR'
        ($plan.Arguments -join "`n") | Should -Not -Match 'DARWIN_USER_CACHE_DIR'
        ($plan.Notes -join "`n") | Should -Not -Match 'confstr'
    }

    It 'lists the Windows ACL allow entries for the roots and the deny entries' {
        $plan = (Get-SandboxPolicy -TargetPlatform Windows -SandboxMode WorkspaceWrite -WorkingDirectory $proj).LaunchPlan
        $plan.Platform | Should -Be 'Windows'
        $plan.AclPlan | Should -Not -BeNullOrEmpty
        ($plan.AclPlan | Where-Object { $_.Access -like 'Allow*' }).Path | Should -Contain $proj.FullName
        ($plan.AclPlan | Where-Object { $_.Access -like 'Deny*' -and $_.Path -like '*.git' }) | Should -Not -BeNullOrEmpty
        ($plan.NotEnforced -join "`n") | Should -Match 'network'
    }

    It 'shows the Linux wrapper around a stand-in command' {
        $plan = (Get-SandboxPolicy -TargetPlatform Linux -SandboxMode WorkspaceWrite -WorkingDirectory $proj).LaunchPlan
        $plan.Backend | Should -BeLike 'linux-*'
        $plan.Arguments[-1] | Should -Be '<command>'
        $plan.Arguments | Should -Contain '--rw'
        $plan.EnvironmentChanges['CODEX_SANDBOX_NETWORK_DISABLED'] | Should -Be '1'
    }

    It 'shows the plan a run carries out: the same Linux argv around the real command' {
        if (-not $IsLinux) { Set-ItResult -Skipped -Because 'a Linux run is compared with the Linux plan' }
        $plan = (Get-SandboxPolicy -TargetPlatform Linux -SandboxMode WorkspaceWrite -WorkingDirectory $proj -WarningAction SilentlyContinue).LaunchPlan
        $r = Invoke-SandboxedCommand -SandboxMode WorkspaceWrite -WorkingDirectory $proj -WarningAction SilentlyContinue -FilePath true -ArgumentList 'one', 'two'
        $r.ExitCode | Should -Be 0 -Because $r.Stderr
        $r.LaunchPlan.Backend | Should -Be $plan.Backend
        $r.Backend | Should -Be $plan.Backend
        $r.LaunchPlan.Program | Should -Be $plan.Program
        # Every plan names its own private TMPDIR (launcher-only layer); everything else is the same, up to the command.
        $same = { param($a) $a -replace 'codex-sandbox-[0-9a-f]{16}', 'codex-sandbox-<run>' }
        $planned = @($plan.Arguments | Select-Object -SkipLast 1 | ForEach-Object { & $same $_ }) + @('true', 'one', 'two')
        @($r.LaunchPlan.Arguments | ForEach-Object { & $same $_ }) | Should -Be $planned
        $r.Enforcement | Should -Be $plan.Enforced
    }

    It 'says the allowlist proxy''s ports are chosen when a run starts' {
        $cfg = Join-Path $t.Root 'allow.toml'
        Set-Content $cfg "[sandbox_network]`nmode = 'allowlist'`nallowed_domains = ['example.com']`nallowed_ports = [5432]"
        $platforms = @('MacOS', 'Windows')
        if (-not $IsLinux -or (Get-SandboxCapability).LandlockAbi -ge 4) { $platforms += 'Linux' }
        foreach ($platform in $platforms) {
            $plan = (Get-SandboxPolicy -TargetPlatform $platform -SandboxMode WorkspaceWrite -ConfigPath $cfg -WorkingDirectory $proj -WarningAction SilentlyContinue).LaunchPlan
            $plan.Proxy | Should -Not -BeNullOrEmpty -Because $platform
            $plan.Proxy.Bound | Should -BeFalse -Because $platform
            "$($plan.Proxy)" | Should -Match 'chosen when the run starts'
            ($plan.Notes -join ' ') | Should -Match 'bound when the run starts' -Because $platform
        }
        if ($platforms -contains 'Linux') {
            $plan = (Get-SandboxPolicy -TargetPlatform Linux -SandboxMode WorkspaceWrite -ConfigPath $cfg -WorkingDirectory $proj -WarningAction SilentlyContinue).LaunchPlan
            $plan.Proxy.DirectPorts | Should -Be @(5432)
            ($plan | Format-List | Out-String) | Should -Match 'Proxy\s+: 127\.0\.0\.1, two free ports chosen when the run starts'
        }
    }
}

Describe 'Path completion' {
    It 'completes folders for -WritableRoot and -WorkingDirectory' {
        $root = New-Item -ItemType Directory -Force (Join-Path ([IO.Path]::GetTempPath()) "cxsb-compl-$PID")
        New-Item -ItemType Directory -Force (Join-Path $root 'alpha'), (Join-Path $root 'alps'), (Join-Path $root 'beta') | Out-Null
        Set-Content (Join-Path $root 'alfile') 'x'
        Push-Location $root
        try {
            foreach ($param in 'WritableRoot', 'WorkingDirectory') {
                $line = "Get-SandboxPolicy -$param al"
                (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('alpha/', 'alps/')
            }
        }
        finally { Pop-Location; Remove-Item -Recurse -Force $root }
    }
}
