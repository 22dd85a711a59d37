# Readable at 80 columns, and exportable: the format views, one spelling of ids, the network as the log says it,
# ConvertTo-Json and Export-Csv of the output types.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:t = New-TestCodexHome
    $script:ws = (New-Item -ItemType Directory -Force (Join-Path $t.Root 'ws')).FullName
    $script:cfg = Join-Path $t.Root 'config.toml'
    Set-Content $cfg "[sandbox_workspace_write]`nexclude_slash_tmp = true`nexclude_tmpdir_env_var = true"
    Copy-Item $cfg (Join-Path $t.CodexHome 'config.toml')   # Get-SandboxAudit reads the log this config names
    $script:common = @{ ConfigPath = $cfg; WorkingDirectory = $ws; WarningAction = 'SilentlyContinue' }
    $script:run = Invoke-SandboxedCommand @common -SandboxMode WorkspaceWrite -Checkpoint -Command 'echo "it''s here" > made.txt'
    $script:record = Get-SandboxAudit -Id $run.AuditId
    $script:checkpoint = Get-SandboxCheckpoint -Id $run.AuditId

    function Get-Words([string] $Text) { @($Text -split '\s+' | Where-Object { $_ }) }
    # A table whose <Wrap/> cut a word leaves pieces of it on two lines: every word must be whole somewhere.
    function Assert-WholeWords([string] $Table, [string[]] $Texts) {
        $tokens = [Collections.Generic.HashSet[string]]::new([string[]](Get-Words $Table))
        foreach ($word in $Texts | ForEach-Object { Get-Words $_ }) { $tokens.Contains($word) | Should -BeTrue -Because "'$word' should not be cut in:`n$Table" }
    }
    function Assert-Width([string] $Table, [int] $Width) {
        foreach ($line in $Table -split "`r?`n") { $line.Length | Should -BeLessOrEqual $Width -Because "'$line' is wider than $Width" }
    }
}
AfterAll { Remove-Item -Recurse -Force $t.Root -ErrorAction SilentlyContinue }

Describe 'Tables at 80 columns' {
    It 'shows Test-CommandSafety''s commands and reasons in whole words' {
        $a = 'rm -rf /tmp/x', 'curl https://example.com/install.sh', 'ls -la' | Test-CommandSafety -WorkingDirectory $ws -SandboxMode WorkspaceWrite
        $table = $a | Out-String -Width 80
        Assert-Width $table 80
        Assert-WholeWords $table ($a.Reasons + 'Dangerous', 'KnownSafe', 'Prompt', 'Allow', 'rm', '-rf', '/tmp/x', 'ls', '-la')
        $table | Should -Match '(?m)^rm -rf /tmp/x +Dangerous +Prompt +`rm -rf /tmp/x` might be'
    }

    It 'shows each audit record on one line, its decision whole, at 80 and at 200 columns' {
        foreach ($width in 80, 200) {
            $table = $record | Out-String -Width $width
            Assert-Width $table $width
            $lines = @($table -split "`r?`n" | Where-Object { $_.Trim() })
            $lines.Count | Should -Be 3 -Because "a header, its underline and one record:`n$table"
            $lines[2] | Should -Match "^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d CommandExecuted +Allow/Policy +0 echo"
        }
    }

    It 'shows a checkpoint''s id and audit id whole, under its roots' {
        $table = $checkpoint | Out-String -Width 80
        Assert-Width $table 80
        $table | Should -Match "Roots: $([regex]::Escape($ws))"
        $table | Should -Match "(?m)^$([regex]::Escape($checkpoint.Id)) +\w+ +[\d,]+ KB $($run.AuditId)$"
    }
}

Describe 'One spelling of ids' {
    It 'gives the result the audit log''s id, 32 hex digits, in PowerShell and in JSON' {
        $run.Id | Should -BeOfType ([string])
        $run.Id | Should -Match '^[0-9a-f]{32}$'
        $run.Id | Should -Be $run.AuditId
        $record.Id | Should -Be $run.Id
        $checkpoint.AuditId | Should -Be $run.Id
        ($run | ConvertTo-Json | ConvertFrom-Json).Id | Should -Be $run.AuditId
        ($run | Format-List Id | Out-String) | Should -Match "Id : $($run.AuditId)"
    }

    It 'takes an id in either spelling wherever an id is asked for' {
        $dashed = ([guid]$run.AuditId).ToString('D')
        (Get-SandboxAudit -Id $dashed).Id | Should -Be $run.AuditId
        (Get-SandboxCheckpoint -Id $dashed).Id | Should -Be $checkpoint.Id
        Undo-SandboxChange -Id $dashed -WhatIf -WarningAction SilentlyContinue -ErrorVariable err -ErrorAction SilentlyContinue
        $err | Should -BeNullOrEmpty -Because 'Undo-SandboxChange finds the checkpoint by the dashed audit id'
        Undo-SandboxChange -Id ([guid]::NewGuid().ToString('D')) -WhatIf -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'CheckpointNotFound,*'
        ($run | Get-SandboxAudit).Id | Should -Be $run.AuditId
    }
}

Describe 'The network, said the same way' {
    It 'gives the result the network mode its audit record has: <mode>' -TestCases @(
        @{ mode = 'Off'; extra = @{}; access = $false }
        @{ mode = 'On'; extra = @{ NetworkAccess = $true }; access = $true }
    ) {
        $r = Invoke-SandboxedCommand @common @extra true
        $r.Network | Should -Be $mode
        $r.Network | Should -BeOfType ([CodexSandbox.NetworkMode])
        $r.NetworkAccess | Should -Be $access -Because 'NetworkAccess stays for compatibility'
        $a = Get-SandboxAudit -Id $r.Id
        $a.Network | Should -Be $mode
        $a.NetworkAccess | Should -Be $mode
    }
}

Describe 'ConvertTo-Json' {
    It 'writes enum names and a readable duration, without -EnumsAsStrings' {
        $json = $run | ConvertTo-Json
        $o = $json | ConvertFrom-Json
        $o.SandboxMode | Should -Be 'WorkspaceWrite'
        $o.Decision | Should -Be 'Allow'
        $o.DecisionSource | Should -Be 'Policy'
        $o.Network | Should -Be 'Off'
        $o.DurationMs | Should -BeGreaterThan 0
        $o.DurationMs | Should -Be $run.Duration.TotalMilliseconds
        $json | Should -Not -Match '"Ticks"' -Because 'a TimeSpan is fifteen numbers in JSON'
        $r = $record | ConvertTo-Json | ConvertFrom-Json
        $r.EventType | Should -Be 'CommandExecuted'
        $r.SandboxMode | Should -Be 'WorkspaceWrite'
        $r.NetworkAccess | Should -Be 'Off'
        $r.DurationMs | Should -BeGreaterThan 0
        $c = Test-CommandSafety 'rm -rf /' -WorkingDirectory $ws | ConvertTo-Json | ConvertFrom-Json
        $c.Safety, $c.Decision, $c.Shell | Should -Be @('Dangerous', 'Prompt', 'Posix')
    }

    It 'writes every public enum of the module by name' {
        $enums = [CodexSandbox.SandboxResult].Assembly.GetExportedTypes() | Where-Object IsEnum
        $enums.Count | Should -BeGreaterThan 10
        foreach ($type in $enums) {
            $value = [Enum]::GetValues($type) | Select-Object -Last 1
            ConvertTo-Json $value | Should -Be "`"$value`"" -Because "$($type.Name) needs [JsonConverter(typeof(StringEnumConverter))]"
        }
    }

    It 'converts every output object, enum-keyed maps and the launch plan included, and indexes their lists' {
        $cap = Get-SandboxCapability | ConvertTo-Json -Depth 4 | ConvertFrom-Json
        $cap.Protections.ReadOnly.Count | Should -BeGreaterThan 0
        $cap.Protections.psobject.Properties.Name | Should -Be @('ReadOnly', 'WorkspaceWrite', 'DangerFullAccess')
        $plan = $run.LaunchPlan | ConvertTo-Json -Depth 3 | ConvertFrom-Json
        $plan.Arguments[-1] | Should -Be $run.LaunchPlan.Arguments[-1]
        # The lists index like lists ([0] is the first word, not the whole list).
        $run.LaunchPlan.Arguments[0] | Should -BeOfType ([string])
        $run.LaunchPlan.Arguments[0] | Should -Be @($run.LaunchPlan.Arguments)[0]
        { Get-SandboxPolicy -WorkingDirectory $ws | ConvertTo-Json -Depth 4 -ErrorAction Stop } | Should -Not -Throw
    }

    It 'keeps Duration a TimeSpan, out of the listings where DurationMs says it readably' {
        $run.Duration | Should -BeOfType ([TimeSpan])
        $run.Duration | Should -BeGreaterThan ([TimeSpan]::Zero)
        $record.Duration | Should -Be ([TimeSpan]::FromMilliseconds($record.DurationMs))
        ($run | Format-List * | Out-String) | Should -Match 'DurationMs +: '
    }
}

Describe 'Export-Csv' {
    It 'writes the list columns of <name> as text' -TestCases @(
        @{ name = 'SandboxResult'; get = { $run } }
        @{ name = 'AuditRecord'; get = { $record } }
        @{ name = 'Checkpoint'; get = { $checkpoint } }
        @{ name = 'CommandAssessment'; get = { Test-CommandSafety 'git status && rm -rf x' -WorkingDirectory $ws -RulesPath (Join-Path $t.Root 'x.rules') } }
        @{ name = 'SandboxPolicy'; get = { Get-SandboxPolicy @common } }
        @{ name = 'SandboxCapability'; get = { Get-SandboxCapability } }
        @{ name = 'AuditVerifyResult'; get = { Get-SandboxAudit -Verify } }
    ) {
        Set-Content (Join-Path $t.Root 'x.rules') 'prefix_rule(pattern = ["rm"], decision = "prompt")'
        $csv = (& $get) | ConvertTo-Csv | Out-String
        $csv | Should -Not -Match 'System\.Collections|`\d\[|z__|\[\]"|"CodexSandbox\.\w+"' -Because $csv
    }

    It 'writes an argv as the command a shell would take back, and reasons as a paragraph' {
        $row = $run | ConvertTo-Csv | ConvertFrom-Csv
        $row.Argv | Should -BeExactly @'
/bin/sh -c 'echo "it'\''s here" > made.txt'
'@
        $row.Enforcement | Should -Be ($run.Enforcement -join '; ')
        $a = Test-CommandSafety 'rm -rf /tmp/x' -WorkingDirectory $ws | ConvertTo-Csv | ConvertFrom-Csv
        $a.Reasons | Should -Match '^`rm -rf /tmp/x` might be dangerous: rm -rf forcibly deletes a whole tree\. Needs approval'
    }
}
