# Credential files are unreadable by default (stricter than Codex): real reads with cat inside the real sandbox,
# with the bubblewrap layer (the layer that enforces deny_read on Linux). HOME and CODEX_HOME point at a scratch
# home inside the workspace, so nothing of the machine's own home is involved.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'Escape/EscapeHelpers.ps1')
    $script:savedHome = $env:HOME
    $script:savedCodexHome = $env:CODEX_HOME
    $script:savedSystem = $env:CODEXSANDBOX_SYSTEM_CONFIG_DIR
    $script:home0 = New-TestCodexHome
    $script:cap = Get-SandboxCapability
    $script:skipReason = if (-not $IsLinux) { 'the bubblewrap layer is Linux only' }
    elseif (-not $cap.BwrapWorks) { "bubblewrap is not usable here: $($cap.BwrapProblem)" }

    function New-CredentialWorld {
        # A workspace (the only writable root) holding the scratch home, so a private /tmp cannot hide it either.
        param([string] $Extra = '')
        $w = New-EscapeWorld -Layer bwrap -Extra $Extra
        $h = Join-Path $w.Ws 'home'
        $files = [ordered]@{
            ssh_key     = '.ssh/id_ed25519'
            ssh_pub     = '.ssh/id_ed25519.pub'
            known_hosts = '.ssh/known_hosts'
            aws         = '.aws/credentials'
            netrc       = '.netrc'
            auth        = '.codex/auth.json'
        }
        $paths = @{}
        foreach ($name in $files.Keys) {
            $path = Join-Path $h $files[$name]
            New-Item -ItemType Directory -Force (Split-Path $path) | Out-Null
            Set-Content -Path $path -Value "SECRET-$name" -NoNewline
            $paths[$name] = $path
        }
        $w | Add-Member -NotePropertyMembers @{ Home = $h; CodexHome = (Join-Path $h '.codex'); Files = $paths } -PassThru
    }

    function Invoke-Cat {
        param($World, [string] $Name, [string] $Mode = 'WorkspaceWrite')
        $env:HOME = $World.Home
        $env:CODEX_HOME = $World.CodexHome
        try { Invoke-InWorld $World "cat '$($World.Files[$Name])'" -Mode $Mode }
        finally { $env:HOME = $savedHome; $env:CODEX_HOME = $home0.CodexHome }
    }
}

AfterAll {
    $env:HOME = $savedHome
    $env:CODEX_HOME = $savedCodexHome
    $env:CODEXSANDBOX_SYSTEM_CONFIG_DIR = $savedSystem
    Remove-Item -Recurse -Force $home0.Root -ErrorAction SilentlyContinue
}

Describe 'Credential files with the bwrap layer (default: denied)' {
    BeforeAll { if (-not $skipReason) { $script:w = New-CredentialWorld } }
    AfterAll { if ($w) { Remove-Item -Recurse -Force $w.Root -ErrorAction SilentlyContinue } }
    BeforeEach { if ($skipReason) { Set-ItResult -Skipped -Because $skipReason } }

    It 'fails to read <_> and returns none of it' -ForEach 'ssh_key', 'aws', 'netrc', 'auth' {
        $r = Invoke-Cat $w $_
        $r.Backend | Should -Be 'linux-bwrap'
        $r.ExitCode | Should -Not -Be 0 -Because "stdout was: $($r.Stdout)"
        $r.Stdout | Should -Not -Match 'SECRET'
        $r.Stderr | Should -Not -Match 'SECRET'
        $r.Stderr | Should -Match 'Permission denied|No such file or directory'
        ($r.Enforcement -join "`n") | Should -Match 'deny-read: \d+ path\(s\) masked'
    }

    It 'still reads <_>, so ssh can verify hosts' -ForEach 'ssh_pub', 'known_hosts' {
        $r = Invoke-Cat $w $_
        $r.ExitCode | Should -Be 0 -Because $r.Stderr
        $r.Stdout | Should -Be "SECRET-$_"
    }

    It 'lists what it denies in Get-SandboxPolicy, with the default as provenance' {
        $env:HOME = $w.Home; $env:CODEX_HOME = $w.CodexHome
        try { $p = Get-SandboxPolicy -ConfigPath $w.Config -WorkingDirectory $w.Ws -WarningAction SilentlyContinue }
        finally { $env:HOME = $savedHome; $env:CODEX_HOME = $home0.CodexHome }
        $p.CredentialDenyRead | Should -Be @($w.Files.ssh_key, (Join-Path $w.Home '.aws'), $w.Files.netrc, $w.Files.auth)
        foreach ($entry in $p.CredentialDenyRead) { $p.DenyRead | Should -Contain $entry }
        ($p.Provenance | Where-Object Setting -EQ 'sandbox_credentials.deny_read').Location | Should -Be 'default'
        ($p | Format-List | Out-String) | Should -Match 'CredentialDenyRead\s+:\s+\S*id_ed25519'
    }

    It 'does not refuse danger-full-access, which reads them as asked' {
        $r = Invoke-Cat $w 'ssh_key' -Mode DangerFullAccess
        $r.ExitCode | Should -Be 0 -Because $r.Stderr
        $r.Stdout | Should -Be 'SECRET-ssh_key'
    }
}

Describe 'Credential files with [sandbox_credentials] deny_read = false' {
    BeforeAll { if (-not $skipReason) { $script:w = New-CredentialWorld -Extra "[sandbox_credentials]`ndeny_read = false" } }
    AfterAll { if ($w) { Remove-Item -Recurse -Force $w.Root -ErrorAction SilentlyContinue } }
    BeforeEach { if ($skipReason) { Set-ItResult -Skipped -Because $skipReason } }

    It 'reads <_>' -ForEach 'ssh_key', 'ssh_pub', 'known_hosts', 'aws', 'netrc', 'auth' {
        $r = Invoke-Cat $w $_
        $r.Backend | Should -Be 'linux-bwrap'
        $r.ExitCode | Should -Be 0 -Because $r.Stderr
        $r.Stdout | Should -Be "SECRET-$_"
    }

    It 'shows an empty list and the key''s file and line' {
        $env:HOME = $w.Home; $env:CODEX_HOME = $w.CodexHome
        try { $p = Get-SandboxPolicy -ConfigPath $w.Config -WorkingDirectory $w.Ws -WarningAction SilentlyContinue }
        finally { $env:HOME = $savedHome; $env:CODEX_HOME = $home0.CodexHome }
        $p.CredentialDenyRead | Should -HaveCount 0
        $origin = $p.Provenance | Where-Object Setting -EQ 'sandbox_credentials.deny_read'
        $origin.Value | Should -Be 'false'
        $origin.Location | Should -Match ([regex]::Escape($w.Config) + ':\d+$')
    }
}

Describe 'Credential files with the launcher alone (Landlock grants no read beneath them)' {
    BeforeAll {
        if (-not $skipReason) { $script:w = New-CredentialWorld }
        if ($w) { Set-Content $w.Config ((Get-Content -Raw $w.Config) -replace 'namespaces = "required"', 'namespaces = "off"') }
    }
    AfterAll { if ($w) { Remove-Item -Recurse -Force $w.Root -ErrorAction SilentlyContinue } }
    BeforeEach { if ($skipReason) { Set-ItResult -Skipped -Because $skipReason } }

    It 'fails to read <_> and returns none of it' -ForEach 'ssh_key', 'aws', 'netrc', 'auth' {
        $r = Invoke-Cat $w $_ -Mode ReadOnly
        $r.Backend | Should -Be 'linux-launcher'
        $r.ExitCode | Should -Not -Be 0 -Because "stdout was: $($r.Stdout)"
        $r.Stdout | Should -Not -Match 'SECRET'
        $r.Stderr | Should -Match 'Permission denied'
        ($r.Enforcement -join "`n") | Should -Match 'deny-read: \d+ path\(s\) cannot be read'
    }

    It 'still reads <_>' -ForEach 'ssh_pub', 'known_hosts' {
        $r = Invoke-Cat $w $_ -Mode ReadOnly
        $r.ExitCode | Should -Be 0 -Because $r.Stderr
        $r.Stdout | Should -Be "SECRET-$_"
    }
}

Describe 'deny_read survives an approved escalation' {
    BeforeAll { if (-not $skipReason) { $script:w = New-CredentialWorld } }
    AfterAll { if ($w) { Remove-Item -Recurse -Force $w.Root -ErrorAction SilentlyContinue } }
    BeforeEach { if ($skipReason) { Set-ItResult -Skipped -Because $skipReason } }

    function script:Invoke-Escalated([string] $Line, [string] $Config = $w.Config) {
        $env:HOME = $w.Home; $env:CODEX_HOME = $w.CodexHome
        try {
            Invoke-SandboxedCommand -RequestUnsandboxed -Justification 'needs the host' -ApprovalPolicy OnRequest -Force -ConfigPath $Config `
                -WorkingDirectory $w.Ws -WarningAction SilentlyContinue -Command $Line
        }
        finally { $env:HOME = $savedHome; $env:CODEX_HOME = $home0.CodexHome }
    }

    It 'runs outside the sandbox (it writes outside the roots) but still cannot read a credential file' {
        $marker = Join-Path $w.Out 'escalated-wrote'
        $r = Invoke-Escalated "touch '$marker'; cat '$($w.Files.ssh_key)'; cat '$($w.Files.ssh_pub)'"
        $r.Escalated | Should -BeTrue
        $r.Backend | Should -Be 'linux-escalated'
        Test-Path $marker | Should -BeTrue -Because $r.Stderr
        $r.Stdout | Should -Not -Match 'SECRET-ssh_key'
        $r.Stdout | Should -Match 'SECRET-ssh_pub'
        ($r.Enforcement -join "`n") | Should -Match 'deny-read'
        ($r.NotEnforced -join "`n") | Should -Match 'setuid'
    }

    It 'keeps $CODEX_HOME and the repository''s hooks read-only' {
        Set-Content (Join-Path $w.CodexHome 'config.toml') '# mine'
        $r = Invoke-Escalated "echo 'sandbox_mode = ""danger-full-access""' > '$($w.CodexHome)/config.toml'; echo x > .git/hooks/pre-commit; echo done"
        $r.Stdout | Should -Match 'done'
        Get-Content -Raw (Join-Path $w.CodexHome 'config.toml') | Should -Match '# mine'
        Test-Path (Join-Path $w.Ws '.git/hooks/pre-commit') | Should -BeFalse
    }

    It 'is refused without the namespace layer, naming the fix' {
        $off = Join-Path $w.Root 'off.toml'
        Set-Content $off ((Get-Content -Raw $w.Config) -replace 'namespaces = "required"', 'namespaces = "off"')
        { $ErrorActionPreference = 'Stop'; Invoke-Escalated 'true' -Config $off } | Should -Throw -ErrorId 'SandboxUnavailable*'
        try { $ErrorActionPreference = 'Stop'; Invoke-Escalated 'true' -Config $off } catch { $_.ErrorDetails.RecommendedAction + $_.Exception.Message | Should -Match 'bubblewrap' }
    }

    It 'runs with no sandbox at all when nothing is denied' {
        $free = Join-Path $w.Root 'free.toml'
        Set-Content $free ((Get-Content -Raw $w.Config) + "`n[sandbox_credentials]`ndeny_read = false`n")
        $r = Invoke-Escalated 'cat /proc/self/status | grep -c NoNewPrivs:.*0' -Config $free
        $r.Backend | Should -Be 'none'
        $r.Escalated | Should -BeTrue
    }
}
