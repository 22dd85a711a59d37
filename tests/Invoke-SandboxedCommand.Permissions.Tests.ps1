# Permission profiles, profile files and granular approvals through the cmdlets: real reads and writes with cat and sh
# inside the real sandbox, on each Linux layer that can run here.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'Escape/EscapeHelpers.ps1')
    $script:cap = Get-SandboxCapability

    function New-ProfileWorld {
        # A git workspace with a secret and its sibling, and a config whose profile extends :workspace.
        param([string] $Layer, [string] $Profile)
        $w = New-EscapeWorld -Layer $Layer
        Set-Content -Path (Join-Path $w.Ws 'secret.env') -Value 'SECRET-VALUE' -NoNewline
        Set-Content -Path (Join-Path $w.Ws 'sibling.txt') -Value 'SIBLING-VALUE' -NoNewline
        $namespaces = if ($Layer -eq 'bwrap') { 'required' } else { 'off' }
        Set-Content $w.Config @"
default_permissions = "edit"
[permissions.edit]
extends = ":workspace"
$Profile
[sandbox_linux]
namespaces = "$namespaces"
[sandbox_rollback]
checkpoint = "never"
"@
        $w
    }

    function Invoke-InProfile {
        param($World, [string] $Line, [hashtable] $Extra = @{})
        $p = @{ Command = $Line; ConfigPath = $World.Config; WorkingDirectory = $World.Ws; TimeoutSec = 60; WarningAction = 'SilentlyContinue'; Force = $true }
        Invoke-SandboxedCommand @p @Extra
    }
}

Describe 'A permission profile on the <Layer> layer' -ForEach @(@{ Layer = 'bwrap' }, @{ Layer = 'launcher' }) {
    BeforeAll {
        $script:skip = Get-LayerSkipReason -Layer $Layer -Capability $cap
        if (-not $skip) {
            $script:w = New-ProfileWorld -Layer $Layer -Profile "[permissions.edit.filesystem.`":workspace_roots`"]`n`".`" = `"write`"`n`"secret.env`" = `"deny`""
            # a world of its own: with the launcher alone, a denied file's folder grants reads to the entries that
            # existed at the start only, so a file created beside secret.env would not read back
            $script:plain = New-ProfileWorld -Layer $Layer -Profile ''
        }
    }
    AfterAll { foreach ($x in @($w, $plain)) { if ($x) { Remove-Item -Recurse -Force $x.Root -ErrorAction SilentlyContinue } } }

    It 'makes a cat of the denied file fail while its sibling reads' {
        if ($skip) { Set-ItResult -Skipped -Because $skip; return }
        $denied = Invoke-InProfile $w 'cat secret.env'
        $denied.Succeeded | Should -BeFalse
        $denied.Stdout | Should -Not -Match 'SECRET-VALUE'
        $sibling = Invoke-InProfile $w 'cat sibling.txt'
        $sibling.Succeeded | Should -BeTrue
        $sibling.Stdout | Should -Match 'SIBLING-VALUE'
    }

    It 'extends :workspace: the workspace is writable and .git stays read-only' {
        if ($skip) { Set-ItResult -Skipped -Because $skip; return }
        $written = Invoke-InProfile $plain 'echo new > made.txt && cat made.txt'
        $written.Succeeded | Should -BeTrue -Because "$($written.Stderr) $($written.Reason) $($written.ExitCode)"
        $written.Stdout | Should -Match 'new'
        $git = Invoke-InProfile $plain 'echo planted > .git/hooks/pre-commit'
        if ($Layer -eq 'bwrap') {
            $git.Succeeded | Should -BeFalse
            Test-Path (Join-Path $plain.Ws '.git/hooks/pre-commit') | Should -BeFalse
        }
        else {
            # Landlock cannot carve a read-only sub-path out of a writable root: the result says so, as in legacy mode
            $git.NotEnforced -join "`n" | Should -Match 'protected-paths: \.git, \.codex and \.agents inside writable roots stay writable'
        }
        (Invoke-InProfile $plain 'true').SandboxMode | Should -Be 'WorkspaceWrite'
    }
}

Describe 'Get-SandboxPolicy with a permission profile' {
    BeforeEach {
        $script:t = New-TestCodexHome
        $script:proj = New-Item -ItemType Directory -Force (Join-Path $t.Root 'proj')
        New-Item -ItemType Directory -Force (Join-Path $proj '.git') | Out-Null
        Set-Content (Join-Path $t.CodexHome 'config.toml') @"
default_permissions = "edit"
[permissions.base]
extends = ":workspace"
[permissions.edit]
extends = "base"
description = "edit, never read env files"
[permissions.edit.filesystem]
"~/.ssh" = "deny"
"@
    }
    AfterEach { Remove-Item -Recurse -Force $t.Root -ErrorAction SilentlyContinue }

    It 'shows the profile chain and each filesystem entry with its file and line' {
        $p = Get-SandboxPolicy -WorkingDirectory $proj
        $p.Permissions | Should -Be 'edit'
        $p.PermissionsChain | Should -Be @(':workspace', 'base', 'edit')
        $p.PermissionsDescription | Should -Be 'edit, never read env files'
        $ssh = $p.FilesystemEntries | Where-Object Access -EQ 'deny'
        $ssh.Origin.File | Should -Be (Join-Path $t.CodexHome 'config.toml')
        $ssh.Origin.Line | Should -Be 8
        ($p.FilesystemEntries | Where-Object Path -EQ $proj.FullName).Access | Should -Be 'write'
        $p.SandboxMode | Should -Be 'WorkspaceWrite'
        ($p | Format-List | Out-String) | Should -Match 'PermissionsChain\s*:\s*:workspace -> base -> edit'
    }

    It '-Permissions selects a profile, -SandboxMode the legacy mode, and completion lists the ids' {
        (Get-SandboxPolicy -WorkingDirectory $proj -Permissions ':read-only').SandboxMode | Should -Be 'ReadOnly'
        (Get-SandboxPolicy -WorkingDirectory $proj -SandboxMode DangerFullAccess).Permissions | Should -BeNullOrEmpty
        { Get-SandboxPolicy -WorkingDirectory $proj -Permissions nope } | Should -Throw -ExpectedMessage 'default_permissions refers to undefined profile*nope*'
        $line = 'Get-SandboxPolicy -Permissions '
        $names = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $names | Should -Be @('base', 'edit', ':read-only', ':workspace', ':danger-full-access')
    }
}

Describe 'Profile files and granular approvals through the cmdlets' {
    BeforeEach {
        $script:t = New-TestCodexHome
        $script:proj = New-Item -ItemType Directory -Force (Join-Path $t.Root 'proj')
    }
    AfterEach { Remove-Item -Recurse -Force $t.Root -ErrorAction SilentlyContinue }

    It '-Profile layers <name>.config.toml over config.toml and completion lists it' {
        Set-Content (Join-Path $t.CodexHome 'config.toml') "approval_policy = 'never'`n[profiles.old]`nsandbox_mode = 'read-only'"
        Set-Content (Join-Path $t.CodexHome 'work.config.toml') "sandbox_mode = 'workspace-write'"
        $p = Get-SandboxPolicy -WorkingDirectory $proj -Profile work
        $p.SandboxMode | Should -Be 'WorkspaceWrite'
        $p.ApprovalPolicy | Should -Be 'Never'
        $line = 'Get-SandboxPolicy -Profile '
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('old', 'work')
    }

    It 'Test-SandboxConfig warns about legacy profiles, naming the file to create' {
        Set-Content (Join-Path $t.CodexHome 'config.toml') "profile = 'ci'`n[profiles.ci]`nsandbox_mode = 'read-only'"
        $d = Test-SandboxConfig -WorkingDirectory $proj
        $legacy = $d | Where-Object Id -Like 'LegacyProfile*'
        $legacy.Severity | Should -Be @('Warning', 'Warning')
        $legacy.Message | Should -Match ([regex]::Escape((Join-Path $t.CodexHome 'ci.config.toml')))
        Test-SandboxConfig -WorkingDirectory $proj -Quiet | Should -BeTrue
    }

    It 'a granular policy rejects an escalation when sandbox_approval is false, naming the flag' {
        Set-Content (Join-Path $t.CodexHome 'config.toml') 'approval_policy = { granular = { sandbox_approval = false, rules = true, mcp_elicitations = true } }'
        $p = Get-SandboxPolicy -WorkingDirectory $proj
        $p.ApprovalPolicy | Should -Be 'Granular'
        $p.GranularApproval.SandboxApproval | Should -BeFalse
        ($p | Format-List | Out-String) | Should -Match 'GranularApproval\s*:\s*granular = \{ sandbox_approval = false'
        $a = Test-CommandSafety -WorkingDirectory $proj -RequestUnsandboxed 'ls'
        $a.Decision | Should -Be 'Forbidden'
        $a.Reasons | Should -Contain 'approval required by policy, but AskForApproval::Granular.sandbox_approval is false.'
    }
}
