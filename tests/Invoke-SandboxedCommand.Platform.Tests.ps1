# Escape attempts against the real macOS and Windows sandboxes: Seatbelt (/usr/bin/sandbox-exec with the generated
# profile) and the Windows restricted token in a job object. They run only on those systems (the CI workflow's
# macos-latest and windows-latest jobs); anywhere else each one is skipped with its reason. Until a runner has passed
# them they are unverified (docs/platforms.md). The Linux attempts are in Invoke-SandboxedCommand.Escape.Tests.ps1.
#
# Every attempt ends in one of two ways: the sandbox stops it, or the result's NotEnforced says this protection is
# missing here. A documented gap (Windows does not limit reading, for example) is asserted as reported, never ignored.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:home0 = New-TestCodexHome
    $script:unverified = 'unverified until a CI run on that system has passed it (docs/platforms.md)'

    function script:New-PlatformWorld {
        # A workspace (the only writable root), a folder beside it, and a deny_read secret, outside the temporary
        # folders (which are shared writable roots on macOS and Windows unless excluded, as they are here).
        $base = if ($IsWindows) { Join-Path $HOME '.cache/codexsandbox-tests' } else { Get-TestBase }
        $root = Join-Path $base "cxsb-plat-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        $ws = New-Item -ItemType Directory -Force (Join-Path $root 'ws')
        $out = New-Item -ItemType Directory -Force (Join-Path $root 'outside')
        & git -C $ws.FullName init -q 2>&1 | Out-Null
        $null = New-Item -ItemType Directory -Force (Join-Path $ws.FullName '.git/hooks')
        Set-Content -Path (Join-Path $out 'target') -Value 'original' -NoNewline
        Set-Content -Path (Join-Path $out 'secret.txt') -Value 'TOP-SECRET' -NoNewline
        $config = Join-Path $root 'config.toml'
        Set-Content $config @"
deny_read = ['$(Join-Path $out.FullName 'secret.txt')']
[sandbox_workspace_write]
exclude_slash_tmp = true
exclude_tmpdir_env_var = true
[sandbox_rollback]
checkpoint = "never"
"@
        [pscustomobject]@{
            Root = $root; Ws = $ws.FullName; Out = $out.FullName; Config = $config
            Target = (Join-Path $out 'target'); Secret = (Join-Path $out 'secret.txt')
        }
    }

    function script:Invoke-Attempt {
        # One command line in the world's workspace: /bin/sh on macOS, cmd.exe on Windows (no extra shell needed).
        param($World, [string] $Line, [string] $Mode = 'WorkspaceWrite', [int] $TimeoutSec = 60)
        $p = @{ ConfigPath = $World.Config; WorkingDirectory = $World.Ws; SandboxMode = $Mode; TimeoutSec = $TimeoutSec; WarningAction = 'SilentlyContinue'; Force = $true }
        if ($IsWindows) { Invoke-SandboxedCommand @p -FilePath $env:ComSpec -ArgumentList '/d', '/s', '/c', $Line }
        else { Invoke-SandboxedCommand @p -Command $Line }
    }

    function script:Assert-DeniedOrReported {
        # The attempt was stopped ($Stopped), or the result names the missing protection by its NotEnforced prefix.
        param($Result, [bool] $Stopped, [string] $Prefix, [string] $What)
        if ($Stopped) { return }
        ($Result.NotEnforced | Where-Object { $_ -match "^($Prefix): " }) | Should -Not -BeNullOrEmpty -Because "$What got through, so NotEnforced must say so; it lists: $($Result.NotEnforced -join ' | ')"
    }
}

AfterAll { Remove-Item -Recurse -Force $home0.Root -ErrorAction SilentlyContinue }

Describe 'Seatbelt escape attempts (macOS, sandbox-exec)' {
    BeforeAll {
        $script:skipReason = if (-not $IsMacOS) { "Seatbelt exists only on macOS; the CI workflow's macos-latest job runs this, $unverified" }
        elseif (-not ($script:cap = Get-SandboxCapability).SandboxExecWorks) { "sandbox-exec cannot apply a profile here: $($cap.Missing.Values | Select-Object -First 1)" }
        if (-not $skipReason) { $script:w = New-PlatformWorld }
        $script:listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $script:port = $listener.LocalEndpoint.Port
    }
    AfterAll {
        $listener.Stop()
        if ($w) { Remove-Item -Recurse -Force $w.Root -ErrorAction SilentlyContinue }
    }
    BeforeEach {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason }
        Set-Content -Path $w.Target -Value 'original' -NoNewline
    }

    It 'runs under seatbelt and writes inside the writable root (the control case)' {
        $r = Invoke-Attempt $w 'echo ok > inside && cat inside'
        $r.Backend | Should -Be 'seatbelt'
        $r.ExitCode | Should -Be 0 -Because $r.Stderr
        $r.Stdout.Trim() | Should -Be 'ok'
    }

    It 'denies <name> outside the writable root' -TestCases @(
        @{ name = 'a write'; line = 'echo pwned > "$T"' }
        @{ name = 'an append'; line = 'echo pwned >> "$T"' }
        @{ name = 'a removal'; line = 'rm -f "$T"' }
        @{ name = 'a rename'; line = 'mv "$T" "$T.moved"' }
        @{ name = 'a new file'; line = 'touch "$O/new"' }
        @{ name = 'a write through a symlink inside the root'; line = 'ln -sf "$T" link && echo pwned > link' }
    ) {
        $r = Invoke-Attempt $w "T='$($w.Target)'; O='$($w.Out)'; $line"
        $r.ExitCode | Should -Not -Be 0 -Because $r.Stderr
        Get-Content -Raw $w.Target | Should -Be 'original'
        Get-ChildItem $w.Out | ForEach-Object Name | Sort-Object | Should -Be @('secret.txt', 'target')
    }

    It 'denies any write in read-only mode, inside the workspace too' {
        $r = Invoke-Attempt $w 'echo pwned > ro-attempt' -Mode ReadOnly
        $r.ExitCode | Should -Not -Be 0
        Test-Path (Join-Path $w.Ws 'ro-attempt') | Should -BeFalse
    }

    It 'denies reading a deny_read file' {
        $r = Invoke-Attempt $w "cat '$($w.Secret)'"
        $r.Stdout | Should -Not -Match 'TOP-SECRET'
        $r.ExitCode | Should -Not -Be 0
    }

    It 'keeps .git read-only and .codex uncreatable inside the root' {
        $r = Invoke-Attempt $w 'echo pwned > .git/hooks/pre-commit; mkdir .codex'
        $r.ExitCode | Should -Not -Be 0
        Test-Path (Join-Path $w.Ws '.git/hooks/pre-commit') | Should -BeFalse
        Test-Path (Join-Path $w.Ws '.codex') | Should -BeFalse
    }

    It 'denies a TCP connection to a loopback listener with the network off' {
        $r = Invoke-Attempt $w "curl --noproxy '*' -s -m 5 http://127.0.0.1:$port/ && echo connected"
        $connected = $listener.Pending()
        if ($connected) { $listener.AcceptTcpClient().Dispose() }
        $connected | Should -BeFalse -Because "the sandboxed curl reached the host's listener: $($r.Stdout) $($r.Stderr)"
        $r.Stdout | Should -Not -Match 'connected'
    }

    It 'leaves no background process running after the run, or reports that it cannot' {
        $r = Invoke-Attempt $w 'sleep 60 >/dev/null 2>&1 </dev/null & echo $! > bg.pid; echo started' -TimeoutSec 30
        $r.Stdout | Should -Match 'started'
        $bgPid = [int](Get-Content (Join-Path $w.Ws 'bg.pid'))
        Start-Sleep -Milliseconds 500
        $alive = [bool](Get-Process -Id $bgPid -ErrorAction Ignore)
        if ($alive) { Stop-Process -Id $bgPid -Force -ErrorAction Ignore }
        Assert-DeniedOrReported $r (-not $alive) 'process-lifetime' 'a background process that outlived the run'
    }

    It 'keeps the caller''s temporary folder unreadable, or reports that it is shared' {
        $file = Join-Path ([IO.Path]::GetTempPath()) "cxsb-caller-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        Set-Content -Path $file -Value 'CALLER-TEMP' -NoNewline
        try {
            $r = Invoke-Attempt $w "cat '$file'"
            Assert-DeniedOrReported $r ($r.Stdout -notmatch 'CALLER-TEMP') 'private-tmp|read' "reading the caller's temporary folder"
        }
        finally { Remove-Item $file -ErrorAction Ignore }
    }
}

Describe 'Restricted-token escape attempts (Windows, job object)' {
    BeforeAll {
        $script:skipReason = if (-not $IsWindows) { "the restricted token and job object exist only on Windows; the CI workflow's windows-latest job runs this, $unverified" }
        if (-not $skipReason) { $script:w = New-PlatformWorld }
        $script:listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $script:port = $listener.LocalEndpoint.Port
    }
    AfterAll {
        $listener.Stop()
        if ($w) { Remove-Item -Recurse -Force $w.Root -ErrorAction SilentlyContinue }
    }
    BeforeEach {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason }
        Set-Content -Path $w.Target -Value 'original' -NoNewline
    }

    It 'runs under the restricted token and writes inside the writable root (the control case)' {
        $r = Invoke-Attempt $w 'echo ok> inside && type inside'
        $r.Backend | Should -Be 'windows-restricted-token'
        $r.ExitCode | Should -Be 0 -Because $r.Stderr
        $r.Stdout.Trim() | Should -Be 'ok'
    }

    It 'denies <name> outside the writable root' -TestCases @(
        @{ name = 'a write'; line = 'echo pwned> {T}' }
        @{ name = 'an append'; line = 'echo pwned>> {T}' }
        @{ name = 'a removal'; line = 'del /f /q {T}' }
        @{ name = 'a rename'; line = 'ren {T} moved' }
        @{ name = 'a new file'; line = 'echo new> {O}\new' }
        @{ name = 'a write through a junction inside the root'; line = 'mklink /J junction {O} && echo pwned> junction\target' }
    ) {
        # The files are the evidence: del reports success even when it removed nothing.
        $r = Invoke-Attempt $w ($line.Replace('{T}', $w.Target).Replace('{O}', $w.Out))
        Get-Content -Raw $w.Target | Should -Be 'original' -Because "$($r.Stdout) $($r.Stderr)"
        Get-ChildItem $w.Out | ForEach-Object Name | Sort-Object | Should -Be @('secret.txt', 'target')
    }

    It 'denies any write in read-only mode, inside the workspace too' {
        $r = Invoke-Attempt $w 'echo pwned> ro-attempt' -Mode ReadOnly
        $r.ExitCode | Should -Not -Be 0
        Test-Path (Join-Path $w.Ws 'ro-attempt') | Should -BeFalse
    }

    It 'denies reading a deny_read file, or reports that it cannot' {
        $r = Invoke-Attempt $w "type $($w.Secret)"
        Assert-DeniedOrReported $r ($r.Stdout -notmatch 'TOP-SECRET') 'deny-read' 'reading a deny_read file'
    }

    It 'keeps .git read-only inside the root, and blocks or reports creating .codex' {
        $r = Invoke-Attempt $w 'echo pwned> .git\hooks\pre-commit'
        $r.ExitCode | Should -Not -Be 0
        Test-Path (Join-Path $w.Ws '.git/hooks/pre-commit') | Should -BeFalse
        $c = Invoke-Attempt $w 'mkdir .codex'
        $created = Test-Path (Join-Path $w.Ws '.codex')
        if ($created) { Remove-Item -Recurse -Force (Join-Path $w.Ws '.codex') }
        Assert-DeniedOrReported $c (-not $created) 'protected-paths' 'creating .codex'
    }

    It 'asks tools to stay offline, and a direct TCP connection is stopped or reported (network off)' {
        $vars = Invoke-Attempt $w 'echo %CODEX_SANDBOX%/%CODEX_SANDBOX_NETWORK_DISABLED%'
        $vars.Stdout.Trim() | Should -Be 'windows/1'
        $r = Invoke-Attempt $w "curl.exe --noproxy * -s -m 5 http://127.0.0.1:$port/"
        $connected = $listener.Pending()
        if ($connected) { $listener.AcceptTcpClient().Dispose() }
        Assert-DeniedOrReported $r (-not $connected) 'network' 'a TCP connection that ignores the proxy variables'
    }

    It 'ends every process the command started when the run ends (job object), or reports that it cannot' {
        $before = @(Get-Process -Name PING -ErrorAction Ignore | ForEach-Object Id)
        # (no quotes in the line: the command line quotes them for programs, not for cmd)
        $r = Invoke-Attempt $w 'start /b ping -n 60 127.0.0.1 >NUL 2>&1 <NUL & echo started' -TimeoutSec 30
        $r.Stdout | Should -Match 'started'
        Start-Sleep -Milliseconds 500
        $left = @(Get-Process -Name PING -ErrorAction Ignore | Where-Object Id -NotIn $before)
        $left | Stop-Process -Force -ErrorAction Ignore
        Assert-DeniedOrReported $r ($left.Count -eq 0) 'process-lifetime' 'a background process that outlived the run'
    }

    It 'keeps the caller''s temporary folder unreadable, or reports that it is shared' {
        $file = Join-Path ([IO.Path]::GetTempPath()) "cxsb-caller-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        Set-Content -Path $file -Value 'CALLER-TEMP' -NoNewline
        try {
            $r = Invoke-Attempt $w "type $file"
            Assert-DeniedOrReported $r ($r.Stdout -notmatch 'CALLER-TEMP') 'private-tmp|read' "reading the caller's temporary folder"
        }
        finally { Remove-Item $file -ErrorAction Ignore }
    }
}
