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

Describe 'Repeating an undo' {
    It 'says the run was already undone, as a warning, and changes nothing the second time' {
        $repo = (New-Item -ItemType Directory -Force (Join-Path $t.Root 'twice')).FullName
        Set-Content (Join-Path $repo 'f.txt') 'one'
        Set-Content (Join-Path $repo 'gone.txt') 'keep'
        $r = Invoke-SandboxedCommand -Checkpoint -SandboxMode WorkspaceWrite -Command 'echo two > f.txt && rm gone.txt && echo x > new.txt' -ConfigPath $cfg -WorkingDirectory $repo -WarningAction SilentlyContinue
        $first = Undo-SandboxChange -Id $r.AuditId -Confirm:$false -WarningVariable w1 -WarningAction SilentlyContinue
        $first.Status | Should -Be 'Undone'
        $w1 | Should -BeNullOrEmpty
        $stamp = (Get-Item (Join-Path $repo 'f.txt')).LastWriteTimeUtc

        $second = Undo-SandboxChange -Id $r.AuditId -Confirm:$false -WarningVariable w2 -WarningAction SilentlyContinue -ErrorVariable e2
        $e2 | Should -BeNullOrEmpty
        $second.Status | Should -Be 'AlreadyUndone'
        $second.Restored.Count + $second.Deleted.Count + $second.Recreated.Count + $second.Conflicts.Count | Should -Be 0
        @($w2).Count | Should -Be 1
        "$w2" | Should -Match "run $($r.AuditId) were already undone \(\d{4}-\d\d-\d\d .*\); nothing was changed"
        Get-Content (Join-Path $repo 'f.txt') | Should -Be 'one'
        Get-Content (Join-Path $repo 'gone.txt') | Should -Be 'keep'
        Test-Path (Join-Path $repo 'new.txt') | Should -BeFalse
        (Get-Item (Join-Path $repo 'f.txt')).LastWriteTimeUtc | Should -Be $stamp
        (Get-SandboxCheckpoint -Id $r.CheckpointId).Undone | Should -Not -BeNullOrEmpty
        $table = ($second | Out-String -Width 80) -split "`n" | Where-Object { $_.Trim() }
        $table[0] | Should -Match '^CheckpointId\s+Status\s+Restored\s+Deleted\s+Recreated\s+Conflicts$'
        $table[2] | Should -Match "^$($r.CheckpointId) AlreadyUndone\s+0\s+0\s+0\s+0$"
        $table | ForEach-Object { $_.TrimEnd().Length } | Should -BeLessOrEqual 80
    }

    It 'finishes a partial undo with -Force later without the restored files turning into conflicts' {
        $repo = (New-Item -ItemType Directory -Force (Join-Path $t.Root 'partial')).FullName
        Set-Content (Join-Path $repo 'a.txt') 'a'
        Set-Content (Join-Path $repo 'b.txt') 'b'
        $r = Invoke-SandboxedCommand -Checkpoint -SandboxMode WorkspaceWrite -Command 'echo run > a.txt && echo run > b.txt' -ConfigPath $cfg -WorkingDirectory $repo -WarningAction SilentlyContinue
        Set-Content (Join-Path $repo 'a.txt') 'someone else'
        (Undo-SandboxChange -Id $r.AuditId -Confirm:$false -WarningAction SilentlyContinue).Status | Should -Be 'PartlyUndone'
        $again = Undo-SandboxChange -Id $r.AuditId -Force -Confirm:$false -WarningVariable w -WarningAction SilentlyContinue
        $w | Should -BeNullOrEmpty
        $again.Status | Should -Be 'Undone'
        $again.Restored | Should -Be @((Join-Path $repo 'a.txt'))
        Get-Content (Join-Path $repo 'b.txt') | Should -Be 'b'
    }
}

Describe 'Completing -Id' {
    It 'offers checkpoint ids, newest first, with the time and command as tooltip, and no file names' {
        $repo = (New-Item -ItemType Directory -Force (Join-Path $t.Root 'complete')).FullName
        Set-Content (Join-Path $repo '2099-file-name.txt') 'x'
        $one = Invoke-SandboxedCommand -Checkpoint -SandboxMode WorkspaceWrite -Command 'echo first > a' -ConfigPath $cfg -WorkingDirectory $repo -WarningAction SilentlyContinue
        $two = Invoke-SandboxedCommand -Checkpoint -SandboxMode WorkspaceWrite -Command 'echo second > b' -ConfigPath $cfg -WorkingDirectory $repo -WarningAction SilentlyContinue
        Push-Location $repo
        try {
            $line = 'Undo-SandboxChange -Id '
            $offered = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
            $prefixed = 'Undo-SandboxChange -Id 20'
            $offered20 = (TabExpansion2 -inputScript $prefixed -cursorColumn $prefixed.Length).CompletionMatches
        }
        finally { Pop-Location }
        $ids = @(Get-SandboxCheckpoint).Id
        $offered.CompletionText | Should -Be $ids
        $offered[0].CompletionText | Should -Be $two.CheckpointId
        $offered[1].CompletionText | Should -Be $one.CheckpointId
        $offered[0].ToolTip | Should -Match 'echo second > b'
        $offered[0].ToolTip | Should -Match '^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d'
        $offered.CompletionText | Should -Not -Contain '2099-file-name.txt'
        $offered20.CompletionText | Should -Be $ids
    }
}

Describe 'The user''s view of the repository' {
    BeforeAll {
        function script:Get-GitView($repo) {
            & git -C $repo log --all --format='%H %P %s'
            '--'; & git -C $repo branch -a
            '--'; & git -C $repo stash list
            '--'; & git -C $repo for-each-ref
            '--'; & git -C $repo count-objects
        }
    }

    It 'shows no trace of checkpoints in log --all, branch -a, stash list or for-each-ref, and gc --prune=now cannot break an undo' {
        $repo = (New-Item -ItemType Directory -Force (Join-Path $t.Root 'view')).FullName
        & git -C $repo init -q
        New-Item -ItemType Directory -Force (Join-Path $repo 'src') | Out-Null
        Set-Content (Join-Path $repo 'src/a.txt') 'a'
        & git -C $repo add -A; & git -C $repo -c user.email=t@t -c user.name=t commit -qm init
        Set-Content (Join-Path $repo 'src/a.txt') 'stashed'; & git -C $repo -c user.email=t@t -c user.name=t stash -q
        $view = Get-GitView $repo

        $r = Invoke-SandboxedCommand -Force -SandboxMode WorkspaceWrite -Command 'rm -rf src && echo x > new' -ConfigPath $cfg -WorkingDirectory $repo -WarningAction SilentlyContinue
        $r.CheckpointId | Should -Not -BeNullOrEmpty
        Get-GitView $repo | Should -Be $view
        Undo-SandboxChange -Id $r.AuditId -WhatIf | Out-Null
        Get-GitView $repo | Should -Be $view

        # The user drops their history and prunes: only the checkpoint still has src/a.txt.
        $branch = & git -C $repo symbolic-ref --short HEAD
        & git -C $repo stash clear
        & git -C $repo checkout -q --orphan other
        & git -C $repo read-tree --empty
        & git -C $repo branch -q -D $branch
        & git -C $repo reflog expire --expire=now --all
        & git -C $repo gc -q --prune=now
        & git -C $repo log --all --oneline | Should -BeNullOrEmpty

        $u = Undo-SandboxChange -Id $r.AuditId -Confirm:$false
        $u.Status | Should -Be 'Undone'
        Get-Content (Join-Path $repo 'src/a.txt') | Should -Be 'a'
        Test-Path (Join-Path $repo 'new') | Should -BeFalse
        & git -C $repo for-each-ref | Should -BeNullOrEmpty
    }
}

Describe 'Progress' {
    It 'shows progress while a large tree is restored' {
        $repo = (New-Item -ItemType Directory -Force (Join-Path $t.Root 'large')).FullName
        & git -C $repo init -q
        & sh -c 'cd "$1" && for d in 0 1 2; do mkdir d$d; for i in $(seq 0 99); do echo "file $d $i" > d$d/f$i.txt; done; done' sh $repo
        $r = Invoke-SandboxedCommand -Force -Checkpoint -SandboxMode WorkspaceWrite -Command 'rm -rf d0 d1 d2' -ConfigPath $cfg -WorkingDirectory $repo -WarningAction SilentlyContinue

        # The progress stream cannot be redirected in a pipeline; a PowerShell instance in its own runspace collects it
        # (one on the current runspace would hand the records to the host).
        $module = (Get-Module CodexSandbox).Path -replace '\.dll$', '.psd1'
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript('param($module, $id) Import-Module $module; $ProgressPreference = "Continue"; Undo-SandboxChange -Id $id -Confirm:$false').AddArgument($module).AddArgument($r.AuditId)
            $u = $ps.Invoke()
            $progress = @($ps.Streams.Progress)
        }
        finally { $ps.Dispose() }

        $u[0].Recreated.Count | Should -Be 300
        $progress | Should -Not -BeNullOrEmpty
        $progress.Activity | Should -Contain "Undoing the changes of run $($r.AuditId)"
        $restoring = $progress | Where-Object { $_.StatusDescription -like "Restoring $repo*" -and $_.PercentComplete -gt 50 -and $_.PercentComplete -lt 100 }
        $restoring | Should -Not -BeNullOrEmpty
        $progress[-1].RecordType | Should -Be 'Completed'
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
            # A query without -Path reads the same default log, with a warning naming the config problem (issue 17).
            Push-Location $repo
            try { $again = Get-SandboxAudit -EventType UndoPerformed -WarningVariable qw -WarningAction SilentlyContinue -ErrorAction Stop }
            finally { Pop-Location }
            @($again | Where-Object RelatedId -EQ $r.AuditId) | Should -HaveCount 1
            ($qw -join "`n") | Should -Match 'cannot be read'
        }
        finally { Remove-Item $userConfig -ErrorAction SilentlyContinue }
    }
}
