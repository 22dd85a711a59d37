BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:t = New-TestCodexHome
    $script:cfg = Join-Path $t.Root 'config.toml'
    Set-Content $cfg "[sandbox_workspace_write]`nexclude_slash_tmp = true`nexclude_tmpdir_env_var = true"
}
AfterAll { Remove-Item -Recurse -Force $t.Root -ErrorAction SilentlyContinue }

Describe 'Undo-SandboxChange' {
    BeforeAll {
        function script:Get-TreeState($root) {
            Get-ChildItem -Recurse -Force -File $root | Where-Object FullName -NotLike '*/.git/*' |
                ForEach-Object { '{0} {1}' -f $_.FullName.Substring($root.Length), (Get-FileHash $_.FullName).Hash } | Sort-Object
        }
    }
    BeforeEach {
        $script:repo = (New-Item -ItemType Directory -Force (Join-Path $t.Root "repo-$([guid]::NewGuid().ToString('n').Substring(0,6))")).FullName
        & git -C $repo init -q
        New-Item -ItemType Directory -Force (Join-Path $repo 'src/lib') | Out-Null
        Set-Content (Join-Path $repo 'src/a.txt') 'a'
        Set-Content (Join-Path $repo 'src/lib/b.bin') 'b'
        Set-Content (Join-Path $repo '.gitignore') 'ignored.log'
        & git -C $repo add -A; & git -C $repo -c user.email=t@t -c user.name=t commit -qm init
        Set-Content (Join-Path $repo 'staged.txt') 'staged'; & git -C $repo add staged.txt
        Set-Content (Join-Path $repo 'ignored.log') 'keep me'
    }

    It 'restores the tree exactly after rm -rf src && echo x > new, with the index untouched' {
        $before = Get-TreeState $repo
        $index = (Get-FileHash (Join-Path $repo '.git/index')).Hash
        $r = Invoke-SandboxedCommand -Force -SandboxMode WorkspaceWrite -Command 'rm -rf src && echo x > new' -ConfigPath $cfg -WorkingDirectory $repo -WarningAction SilentlyContinue
        $r.ExitCode | Should -Be 0
        $r.CheckpointId | Should -Not -BeNullOrEmpty
        Test-Path (Join-Path $repo 'src') | Should -BeFalse

        $plan = Get-SandboxCheckpoint -Id $r.AuditId
        $plan.Id | Should -Be $r.CheckpointId

        $u = Undo-SandboxChange -Id $r.AuditId -Confirm:$false
        $u | Should -BeOfType ([CodexSandbox.UndoResult])
        $u.Deleted | Should -Contain (Join-Path $repo 'new')
        $u.Recreated | Should -Contain (Join-Path $repo 'src/a.txt')
        Get-TreeState $repo | Should -Be $before
        (Get-FileHash (Join-Path $repo '.git/index')).Hash | Should -Be $index
        & git -C $repo diff --cached --name-only | Should -Be 'staged.txt'
        Get-Content (Join-Path $repo 'ignored.log') | Should -Be 'keep me'
    }

    It 'lists with -WhatIf exactly what would change, and changes nothing' {
        $r = Invoke-SandboxedCommand -Checkpoint -SandboxMode WorkspaceWrite -Command 'echo changed > src/a.txt && mkdir -p n/m && echo y > n/m/z' -ConfigPath $cfg -WorkingDirectory $repo -WarningAction SilentlyContinue
        $after = Get-TreeState $repo
        Undo-SandboxChange -Id $r.CheckpointId -WhatIf | Should -BeNullOrEmpty
        Get-TreeState $repo | Should -Be $after
    }

    It 'leaves a file changed by someone else after the run alone unless -Force' {
        $r = Invoke-SandboxedCommand -Checkpoint -SandboxMode WorkspaceWrite -Command 'echo run > src/a.txt' -ConfigPath $cfg -WorkingDirectory $repo -WarningAction SilentlyContinue
        Set-Content (Join-Path $repo 'src/a.txt') 'someone else'
        $u = Undo-SandboxChange -Id $r.AuditId -Confirm:$false -WarningVariable w -WarningAction SilentlyContinue
        $u.Conflicts | Should -Not -BeNullOrEmpty
        ($w -join "`n") | Should -Match 'Conflict'
        Get-Content (Join-Path $repo 'src/a.txt') | Should -Be 'someone else'
        Undo-SandboxChange -Id $r.AuditId -Force -Confirm:$false | Out-Null
        Get-Content (Join-Path $repo 'src/a.txt') | Should -Be 'a'
    }

    It 'reports an unknown id' {
        Undo-SandboxChange -Id 'nope' -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'CheckpointNotFound,CodexSandbox.Commands.UndoSandboxChangeCommand'
    }

    It 'records the checkpoint in the audit log' {
        $r = Invoke-SandboxedCommand -Checkpoint -SandboxMode WorkspaceWrite -Command 'true' -ConfigPath $cfg -WorkingDirectory $repo -WarningAction SilentlyContinue
        (Get-SandboxAudit -EventType CheckpointCreated | Where-Object RelatedId -EQ $r.AuditId).Details['checkpoint'] | Should -Be $r.CheckpointId
    }
}

Describe 'Undo audit' {
    It 'records the undo with its file list' {
        $repo = (New-Item -ItemType Directory -Force (Join-Path $t.Root 'plain')).FullName
        Set-Content (Join-Path $repo 'keep.txt') 'k'
        $r = Invoke-SandboxedCommand -Checkpoint -SandboxMode WorkspaceWrite -Command 'rm keep.txt' -ConfigPath $cfg -WorkingDirectory $repo -WarningAction SilentlyContinue
        Undo-SandboxChange -Id $r.AuditId -Confirm:$false | Out-Null
        Get-Content (Join-Path $repo 'keep.txt') | Should -Be 'k'
        $rec = Get-SandboxAudit -EventType UndoPerformed | Where-Object RelatedId -EQ $r.AuditId
        $rec.Details['recreated'] | Should -Match 'keep\.txt'
    }
}

Describe 'Piping a result' {
    It 'finds the checkpoint and undoes the run from the piped SandboxResult' {
        $repo = (New-Item -ItemType Directory -Force (Join-Path $t.Root 'piped')).FullName
        Set-Content (Join-Path $repo 'f.txt') 'one'
        $r = Invoke-SandboxedCommand -Checkpoint -SandboxMode WorkspaceWrite -Command 'echo two > f.txt' -ConfigPath $cfg -WorkingDirectory $repo -WarningAction SilentlyContinue
        ($r | Get-SandboxCheckpoint).Id | Should -Be $r.CheckpointId
        $r | Undo-SandboxChange -Confirm:$false | Out-Null
        Get-Content (Join-Path $repo 'f.txt') | Should -Be 'one'
    }
}

Describe 'Undo with a config that cannot be used' {
    It 'undoes, returns its result and records it in the default audit log, after a warning naming the <Problem>' -TestCases @(
        @{ Problem = 'TOML syntax error'; Text = "sandbox_mode = `"read-only`nnetwork_access = false"; Expected = 'config\.toml:1' }
        @{ Problem = 'wrong-typed value'; Text = 'sandbox_mode = 5'; Expected = 'sandbox_mode' }
    ) {
        $repo = (New-Item -ItemType Directory -Force (Join-Path $t.Root "broken-$([guid]::NewGuid().ToString('n').Substring(0,6))")).FullName
        Set-Content (Join-Path $repo 'f.txt') 'one'
        $r = Invoke-SandboxedCommand -Checkpoint -SandboxMode WorkspaceWrite -Command 'echo two > f.txt' -ConfigPath $cfg -WorkingDirectory $repo -WarningAction SilentlyContinue
        $userConfig = Join-Path $t.CodexHome 'config.toml'
        Set-Content $userConfig $Text
        try {
            { Get-SandboxPolicy -WorkingDirectory $repo } | Should -Throw -ErrorId 'Config*Error,*'   # the config really is unusable
            $u = Undo-SandboxChange -Id $r.AuditId -Confirm:$false -WarningVariable w -WarningAction SilentlyContinue -ErrorVariable err -ErrorAction SilentlyContinue
            $err | Should -BeNullOrEmpty
            $u | Should -BeOfType ([CodexSandbox.UndoResult])
            $u.Restored | Should -Contain (Join-Path $repo 'f.txt')
            Get-Content (Join-Path $repo 'f.txt') | Should -Be 'one'
            $warning = $w -join "`n"
            $warning | Should -Match 'config in effect cannot be used'
            $warning | Should -Match $Expected
            $log = Join-Path $t.CodexHome 'log/sandbox-audit.jsonl'
            $warning | Should -Match ([regex]::Escape($log))
            $rec = Get-SandboxAudit -Path $log -EventType UndoPerformed | Where-Object RelatedId -EQ $r.AuditId
            $rec | Should -HaveCount 1
            $rec.Details['checkpoint'] | Should -Be $r.CheckpointId
            # A query without -Path cannot know which log the config names: it stops with the config's error.
            { Get-SandboxAudit -EventType UndoPerformed } | Should -Throw -ErrorId 'Config*Error,CodexSandbox.Commands.GetSandboxAuditCommand'
        }
        finally { Remove-Item $userConfig -ErrorAction SilentlyContinue }
    }
}
