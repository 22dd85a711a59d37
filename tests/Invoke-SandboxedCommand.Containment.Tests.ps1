# The containment suite: every way back to the host found by the 2026-12 attack (../shared/reference/attack-2026-12.md),
# attempted for real in both layers. Each case is denied, refused before the run, or (where the layer cannot give the
# protection) reported in NotEnforced. The same attempts as uid 65534 are in Invoke-SandboxedCommand.Unprivileged.Tests.ps1.
BeforeDiscovery {
    $script:layers = @(@{ Layer = 'bwrap' }, @{ Layer = 'launcher' })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'Escape/EscapeHelpers.ps1')
    $script:home0 = New-TestCodexHome
    $script:py = Get-RealPython
    $script:cap = Get-SandboxCapability

    function script:Invoke-Probe {
        # Runs a python probe inside the world's sandbox; its lines say what each attempt got.
        param($World, [string] $Code, [switch] $Network, [string] $Mode = 'WorkspaceWrite', [string[]] $WritableRoot = @(), [string] $Cwd)
        $p = @{ ConfigPath = $World.Config; WorkingDirectory = ($Cwd ? $Cwd : $World.Ws); SandboxMode = $Mode; TimeoutSec = 60; WarningAction = 'SilentlyContinue'; Force = $true }
        if ($Network) { $p.NetworkAccess = $true }
        if ($WritableRoot) { $p.WritableRoot = $WritableRoot }
        Invoke-SandboxedCommand @p -FilePath $py -ArgumentList '-c', $Code
    }

    # Python that tries to open each FIFO both ways and to connect to each socket, printing one line per attempt.
    $script:attempt = @'
import os, socket, sys
for p in sys.argv[1:]:
    if p.startswith("fifo:"):
        for name, flags in (("read", os.O_RDONLY), ("write", os.O_WRONLY)):
            try:
                fd = os.open(p[5:], flags | os.O_NONBLOCK); os.close(fd); print("OPENED", name, p[5:])
            except OSError as e:
                # ENXIO: the path was reached and opened for writing, only no reader was there: that is a way through.
                print(("OPENED" if e.errno == 6 else "denied"), name, p[5:], e.errno)
    else:
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.settimeout(3); s.connect(p[5:]); print("CONNECTED", p[5:])
        except OSError as e:
            print("denied connect", p[5:], e.errno)
'@

    function script:Get-HostEndpoints {
        # The caller's own IPC endpoints: .NET debugger FIFOs, the diagnostics socket, PowerShell's host pipe.
        $tmp = if ($env:TMPDIR) { $env:TMPDIR } else { '/tmp' }
        $fifos = @(Get-ChildItem $tmp, '/tmp' -Filter "clr-debug-pipe-$PID-*" -ErrorAction Ignore | ForEach-Object { "fifo:$($_.FullName)" })
        $sockets = @(Get-ChildItem $tmp, '/tmp' -ErrorAction Ignore | Where-Object { $_.Name -like "dotnet-diagnostic-$PID-*" -or $_.Name -like "CoreFxPipe_PSHost.*.$PID.*" } | ForEach-Object { "sock:$($_.FullName)" })
        @($fifos + $sockets | Select-Object -Unique)
    }

    function script:New-Endpoint {
        # A listening unix socket and a FIFO with a reader, as another host process would keep them.
        param([string] $Folder)
        $null = New-Item -ItemType Directory -Force $Folder
        $sock = Join-Path $Folder "svc-$([guid]::NewGuid().ToString('n').Substring(0, 6)).sock"
        $server = [System.Net.Sockets.Socket]::new('Unix', 'Stream', 'Unspecified')
        $server.Bind([System.Net.Sockets.UnixDomainSocketEndPoint]::new($sock)); $server.Listen(4)
        $fifo = Join-Path $Folder "pipe-$([guid]::NewGuid().ToString('n').Substring(0, 6))"
        & mkfifo $fifo
        [pscustomobject]@{ Server = $server; Socket = $sock; Fifo = $fifo; Targets = @("sock:$sock", "fifo:$fifo") }
    }
}

AfterAll { Remove-Item -Recurse -Force $home0.Root -ErrorAction SilentlyContinue }

Describe 'Containment with the <Layer> layer' -ForEach $layers {
    BeforeAll {
        $script:skipReason = if ($why = Get-LayerSkipReason $Layer $cap) { $why }
                             elseif (-not $py) { 'python3 is not installed' }
        if (-not $skipReason) { $script:w = New-EscapeWorld -Layer $Layer }
    }
    AfterAll { if ($w) { Remove-Item -Recurse -Force $w.Root -ErrorAction SilentlyContinue } }
    BeforeEach { if ($skipReason) { Set-ItResult -Skipped -Because $skipReason } }

    Context 'the caller''s endpoints in the host''s temporary folders (E1, E2)' {
        It 'cannot open the caller''s debugger FIFOs or connect to its diagnostics socket and host pipe (<Mode>, network <Net>)' -TestCases @(
            @{ Mode = 'WorkspaceWrite'; Net = 'off' }
            @{ Mode = 'WorkspaceWrite'; Net = 'on' }
            @{ Mode = 'ReadOnly'; Net = 'on' }
        ) {
            $targets = Get-HostEndpoints
            if ($targets.Count -eq 0) { Set-ItResult -Skipped -Because "this pwsh ($PID) has no debugger FIFOs or host pipe in /tmp (DOTNET_EnableDiagnostics=0?)" }
            $r = Invoke-SandboxedCommand -ConfigPath $w.Config -WorkingDirectory $w.Ws -SandboxMode $Mode -NetworkAccess:($Net -eq 'on') -Force -WarningAction SilentlyContinue -TimeoutSec 60 -FilePath $py -ArgumentList (@('-c', $attempt) + $targets)
            $r.Stdout | Should -Not -Match 'OPENED|CONNECTED' -Because $r.Stdout
            ($r.Stdout -split "`n" | Where-Object { $_ }) | Should -HaveCount ($targets.Count + @($targets | Where-Object { $_ -like 'fifo:*' }).Count) -Because "every attempt is reported: $($r.Stdout) $($r.Stderr)"
        }

        It 'hides the endpoints of another process in /tmp, in a TMPDIR of the user''s and in XDG_RUNTIME_DIR' {
            $userTmp = Join-Path $w.Root 'user-tmp'
            $runtime = Join-Path $w.Root 'run-user'
            $endpoints = @((New-Endpoint $userTmp), (New-Endpoint $runtime), (New-Endpoint (Join-Path '/tmp' "cxsb-ep-$PID")))
            $saved = $env:TMPDIR, $env:XDG_RUNTIME_DIR
            try {
                $env:TMPDIR = $userTmp; $env:XDG_RUNTIME_DIR = $runtime
                $targets = $endpoints | ForEach-Object Targets
                $r = Invoke-SandboxedCommand -ConfigPath $w.Config -WorkingDirectory $w.Ws -SandboxMode WorkspaceWrite -NetworkAccess -Force -WarningAction SilentlyContinue -TimeoutSec 60 -FilePath $py -ArgumentList (@('-c', $attempt) + $targets)
            }
            finally {
                $env:TMPDIR, $env:XDG_RUNTIME_DIR = $saved
                foreach ($e in $endpoints) { $e.Server.Dispose(); Remove-Item -Force $e.Socket, $e.Fifo -ErrorAction Ignore }
                Remove-Item -Recurse -Force (Join-Path '/tmp' "cxsb-ep-$PID") -ErrorAction Ignore
            }
            $r.Stdout | Should -Not -Match 'OPENED|CONNECTED' -Because $r.Stdout
            $r.Stdout | Should -Match 'denied connect' -Because $r.Stderr
            ($r.Enforcement -join "`n") | Should -Match 'private-tmp'
        }

        It 'gives a private, writable temporary folder that leaves nothing on the host' {
            $open = New-EscapeWorld -Layer $Layer   # without exclude_slash_tmp: the private folders are writable
            Set-Content $open.Config ((Get-Content -Raw $open.Config) -replace 'exclude_slash_tmp = true', 'exclude_slash_tmp = false' -replace 'exclude_tmpdir_env_var = true', 'exclude_tmpdir_env_var = false')
            try {
                $r = Invoke-InWorld $open 'f=$(mktemp) && echo private > "$f" && cat "$f" && echo "$f"'
                $r.ExitCode | Should -Be 0 -Because $r.Stderr
                $lines = $r.Stdout -split "`n"
                $lines[0] | Should -Be 'private'
                Test-Path $lines[1] | Should -BeFalse -Because 'the file lived in the run''s private folder'
            }
            finally { Remove-Item -Recurse -Force $open.Root -ErrorAction SilentlyContinue }
        }
    }

    Context 'files host tools trust later (E3, E4, E5)' {
        BeforeAll {
            if ($skipReason) { return }
            # A project whose root is an ancestor of the working directory; the whole world is a writable root.
            $script:proj = Join-Path $w.Root 'proj'
            $script:sub = (New-Item -ItemType Directory -Force (Join-Path $proj 'sub')).FullName
            & git -C $proj init -q 2>&1 | Out-Null
            & git -C $proj -c user.email=t@t -c user.name=t commit -q --allow-empty -m init 2>&1 | Out-Null
        }

        It 'cannot plant a hook, core.fsmonitor or .codex config in a parent repository' {
            $marker = Join-Path $w.Out 'fsmonitor-ran'
            $line = "git -C .. config core.fsmonitor 'touch $marker; false'; printf '#!/bin/sh\ntouch $marker\n' > ../.git/hooks/pre-commit; chmod +x ../.git/hooks/pre-commit; mkdir -p ../.codex; echo 'sandbox_mode = ""danger-full-access""' > ../.codex/config.toml"
            $r = Invoke-SandboxedCommand -ConfigPath $w.Config -WorkingDirectory $sub -SandboxMode WorkspaceWrite -WritableRoot $w.Root -Force -WarningAction SilentlyContinue -Command $line
            if ($Layer -eq 'launcher') {
                ($r.NotEnforced -join "`n") | Should -Match 'protected-paths'
                & git -C $proj config --unset core.fsmonitor 2>&1 | Out-Null
                Remove-Item -Recurse -Force (Join-Path $proj '.git/hooks/pre-commit'), (Join-Path $proj '.codex') -ErrorAction Ignore
                return
            }
            $r.Stderr | Should -Match 'Read-only file system'
            & git -C $proj config core.fsmonitor | Should -BeNullOrEmpty
            Test-Path (Join-Path $proj '.git/hooks/pre-commit') | Should -BeFalse
            Test-Path (Join-Path $proj '.codex/config.toml') | Should -BeFalse
            & git -C $proj -c user.email=t@t -c user.name=t commit -q --allow-empty -m host 2>&1 | Out-Null
            & git -C $proj status 2>&1 | Out-Null
            Test-Path $marker | Should -BeFalse -Because 'host git ran nothing planted'
            ($r.Enforcement -join "`n") | Should -Match 'protected-paths'
        }

        It 'cannot create a repository in the working directory or an ancestor, but can below it' {
            $r = Invoke-SandboxedCommand -ConfigPath $w.Config -WorkingDirectory $sub -SandboxMode WorkspaceWrite -WritableRoot $w.Root -Force -WarningAction SilentlyContinue -Command 'git init -q . ; git init -q inner && test -d inner/.git && echo inner-ok'
            if ($Layer -eq 'launcher') { ($r.NotEnforced -join "`n") | Should -Match 'protected-paths'; Remove-Item -Recurse -Force (Join-Path $sub '.git') -ErrorAction Ignore }
            else {
                $r.Stdout | Should -Match 'inner-ok' -Because $r.Stderr
                Test-Path (Join-Path $sub '.git') | Should -BeFalse -Because 'the mask folder is removed after the run and no repository was made'
            }
            Remove-Item -Recurse -Force (Join-Path $sub 'inner') -ErrorAction Ignore
        }

        It 'cannot write the common directory of a worktree' {
            $main = Join-Path $w.Root 'wtmain'
            & git init -q $main 2>&1 | Out-Null
            & git -C $main -c user.email=t@t -c user.name=t commit -q --allow-empty -m init 2>&1 | Out-Null
            $wt = Join-Path $w.Root 'wt'
            & git -C $main worktree add -q $wt 2>&1 | Out-Null
            $hook = Join-Path $main '.git/hooks/pre-commit'
            $r = Invoke-SandboxedCommand -ConfigPath $w.Config -WorkingDirectory $wt -SandboxMode WorkspaceWrite -WritableRoot $w.Root -Force -WarningAction SilentlyContinue -Command "echo pwned > '$hook'; echo x >> '$main/.git/config'"
            if ($Layer -eq 'launcher') { ($r.NotEnforced -join "`n") | Should -Match 'protected-paths'; Remove-Item -Force $hook -ErrorAction Ignore; return }
            $r.ExitCode | Should -Not -Be 0
            Test-Path $hook | Should -BeFalse
            Get-Content -Raw (Join-Path $main '.git/config') | Should -Not -Match '(?m)^x$'
        }

        It 'cannot rename a parent of the working directory to swap in a planted repository' {
            $p1 = Join-Path $w.Root 'p1'
            $repo = Join-Path $p1 'repoB'
            & git init -q $repo 2>&1 | Out-Null
            $marker = Join-Path $w.Out 'rename-ran'
            $line = "mv '$p1' '$p1-moved' && mkdir '$p1' && cp -a '$p1-moved/repoB' '$repo' && git -C '$repo' config core.fsmonitor 'touch $marker; false'"
            $r = Invoke-SandboxedCommand -ConfigPath $w.Config -WorkingDirectory $repo -SandboxMode WorkspaceWrite -WritableRoot $w.Root -Force -WarningAction SilentlyContinue -Command $line
            if ($Layer -eq 'launcher') {
                ($r.NotEnforced -join "`n") | Should -Match 'renamed'
                if (Test-Path "$p1-moved") { Remove-Item -Recurse -Force $p1; Move-Item "$p1-moved" $p1 }
                return
            }
            $r.ExitCode | Should -Not -Be 0
            $r.Stderr | Should -Match 'busy|Read-only'
            Test-Path "$p1-moved" | Should -BeFalse
            & git -C $repo status 2>&1 | Out-Null
            Test-Path $marker | Should -BeFalse
        }

        It 'cannot rewrite $CODEX_HOME/config.toml or truncate the audit log inside a writable root' {
            $codexHome = New-Item -ItemType Directory -Force (Join-Path $w.Ws 'codex-home')
            $saved = $env:CODEX_HOME
            try {
                $env:CODEX_HOME = $codexHome.FullName
                Set-Content (Join-Path $codexHome 'config.toml') '# user config'
                $null = New-Item -ItemType Directory -Force (Join-Path $codexHome 'log')
                Set-Content (Join-Path $codexHome 'log/sandbox-audit.jsonl') '{"seq":1}'
                $line = 'printf "sandbox_mode = \"danger-full-access\"\n" > "$CODEX_HOME/config.toml"; : > "$CODEX_HOME/log/sandbox-audit.jsonl"'
                if ($Layer -eq 'launcher') {
                    { $ErrorActionPreference = 'Stop'; Invoke-InWorld $w $line } | Should -Throw -ErrorId 'SandboxUnavailable*'
                }
                else {
                    $r = Invoke-InWorld $w $line
                    $r.ExitCode | Should -Not -Be 0
                    $r.Stderr | Should -Match 'Read-only file system'
                    ($r.Enforcement -join "`n") | Should -Match 'always-read-only'
                }
                Get-Content -Raw (Join-Path $codexHome 'config.toml') | Should -Match '# user config'
                (Get-Item (Join-Path $codexHome 'log/sandbox-audit.jsonl')).Length | Should -BeGreaterThan 0
            }
            finally { $env:CODEX_HOME = $saved; Remove-Item -Recurse -Force $codexHome -ErrorAction Ignore }
        }

        It 'cannot replace the launcher of a module copy placed inside a writable root' {
            $launcher = (Get-SandboxCapability).LauncherPath
            $copy = New-Item -ItemType Directory -Force (Join-Path $w.Ws 'modcopy/bin/linux-x64')
            Copy-Item $launcher $copy
            $saved = $env:CODEXSANDBOX_LAUNCHER
            try {
                $env:CODEXSANDBOX_LAUNCHER = Join-Path $copy 'codex-linux-sandbox'
                $line = 'l="$PWD/modcopy/bin/linux-x64/codex-linux-sandbox"; mv "$l" "$l.real" && printf "#!/bin/sh\nexec \"\$0.real\" \"\$@\"\n" > "$l" && chmod +x "$l"'
                if ($Layer -eq 'launcher') {
                    { $ErrorActionPreference = 'Stop'; Invoke-InWorld $w $line } | Should -Throw -ErrorId 'SandboxUnavailable*'
                }
                else {
                    $r = Invoke-InWorld $w $line
                    $r.ExitCode | Should -Not -Be 0
                }
                Test-Path "$env:CODEXSANDBOX_LAUNCHER.real" | Should -BeFalse
                (Get-FileHash $env:CODEXSANDBOX_LAUNCHER).Hash | Should -Be (Get-FileHash $launcher).Hash
            }
            finally { $env:CODEXSANDBOX_LAUNCHER = $saved; Remove-Item -Recurse -Force (Join-Path $w.Ws 'modcopy') -ErrorAction Ignore }
        }

        It 'keeps everyday work going: build, test, write, git status and git diff' {
            # The default configuration: the private temporary folders are writable (compilers need them).
            $open = Join-Path $w.Root 'open.toml'
            Set-Content $open ((Get-Content -Raw $w.Config) -replace 'exclude_slash_tmp = true', 'exclude_slash_tmp = false' -replace 'exclude_tmpdir_env_var = true', 'exclude_tmpdir_env_var = false')
            $r = Invoke-SandboxedCommand -ConfigPath $open -WorkingDirectory $proj -SandboxMode WorkspaceWrite -Force -WarningAction SilentlyContinue -Command @'
printf 'int main(void){return 0;}\n' > t.c && cc -o t t.c && ./t && echo built
echo change > tracked.txt && git status --short && git diff --stat && echo git-ok
f=$(mktemp -d 2>/dev/null || echo .); echo ok
'@
            $r.Stdout | Should -Match 'git-ok' -Because $r.Stderr
            if (Get-Command cc -ErrorAction Ignore) { $r.Stdout | Should -Match 'built' -Because $r.Stderr }
            Remove-Item -Force (Join-Path $proj 't.c'), (Join-Path $proj 't'), (Join-Path $proj 'tracked.txt') -ErrorAction Ignore
        }
    }

    Context 'descriptors, processes and the terminal (E6, E8)' {
        It 'does not pass an inherited descriptor to the command' {
            $target = Join-Path $w.Out 'fd7-target'
            Set-Content $target '' -NoNewline
            $module = (Get-Module CodexSandbox).Path
            $inner = "Import-Module '$module'; `$env:CODEX_HOME='$($home0.CodexHome)'; `$r = Invoke-SandboxedCommand -ConfigPath '$($w.Config)' -WorkingDirectory '$($w.Ws)' -SandboxMode ReadOnly -Force -WarningAction SilentlyContinue -Command 'echo written-through-fd7 >&7; ls /proc/self/fd'; `$r.Stdout"
            $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($inner))
            $output = & bash -c "exec 7>>'$target'; cd '$(Join-Path $PSScriptRoot '..')' && exec dotnet pwsh -NoProfile -NonInteractive -EncodedCommand $encoded" 2>&1
            ($output -join ' ') | Should -Match '\b0 1 2\b|\b0\s+1\s+2\b' -Because "the command ran: $($output -join "`n")"
            Get-Content -Raw $target | Should -BeNullOrEmpty -Because ($output -join "`n")
            ($output -join ' ') | Should -Not -Match '\b7\b' -Because 'ls /proc/self/fd lists only 0, 1, 2 and its own descriptor'
        }

        It 'leaves no daemon behind (setsid and a double fork)' {
            $tag = "cxsb-daemon-$(Get-Random -Minimum 1000 -Maximum 9999)"
            $r = Invoke-InWorld $w "setsid sh -c 'exec -a $tag sleep 60' </dev/null >/dev/null 2>&1 & (sh -c 'exec -a $tag-2 sleep 60' &) ; echo started" -TimeoutSec 20
            $r.Stdout | Should -Match 'started'
            Start-Sleep -Milliseconds 500
            (& pgrep -f $tag) | Should -BeNullOrEmpty -Because 'nothing the command started outlives the run'
            ($r.Enforcement -join "`n") | Should -Match 'lifetime|namespace-pid'
        }

        It 'cannot open, write to or ioctl a terminal of the caller' {
            # A pseudo-terminal held open on the host stands in for the caller's /dev/pts/N.
            $script = Join-Path $w.Root 'hold-pty.py'
            Set-Content $script "import os, pty, time`nm, s = pty.openpty()`nprint(os.ttyname(s), flush=True)`ntime.sleep(60)"
            $holder = Start-Process -FilePath $py -ArgumentList $script -PassThru -RedirectStandardOutput (Join-Path $w.Root 'pty.txt')
            try {
                foreach ($i in 1..50) { if ((Test-Path (Join-Path $w.Root 'pty.txt')) -and (Get-Content (Join-Path $w.Root 'pty.txt'))) { break }; Start-Sleep -Milliseconds 100 }
                $pts = (Get-Content (Join-Path $w.Root 'pty.txt') | Select-Object -First 1).Trim()
                $code = "import os, fcntl, termios, struct`nfor path in ('$pts', '/dev/tty'):`n    try:`n        fd = os.open(path, os.O_RDWR | os.O_NOCTTY); os.write(fd, b'INJECTED'); fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 5, 7, 0, 0)); print('OPENED', path)`n    except OSError as e:`n        print('denied', path, e.errno)"
                $r = Invoke-Probe $w $code
                $r.Stdout | Should -Not -Match 'OPENED' -Because $r.Stdout
                $r.Stdout | Should -Match "denied $([regex]::Escape($pts))"
            }
            finally { $holder | Stop-Process -Force -ErrorAction Ignore }
        }
    }
}

Describe 'Allowlist network: nothing but the proxy (E7), <Layer> layer' -ForEach $layers {
    BeforeAll {
        $script:skipReason = if ($why = Get-LayerSkipReason $Layer $cap) { $why }
                             elseif (-not $py) { 'python3 is not installed' }
                             elseif ($cap.LandlockAbi -lt 4) { "Landlock ABI $($cap.LandlockAbi) has no TCP rules; allowlist mode is refused" }
        if (-not $skipReason) {
            # A local service on an allowed port (127.0.0.1), and another host listening on the same port number (127.0.0.2).
            $script:local = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $local.Start()
            $script:port = $local.LocalEndpoint.Port
            $script:other = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Parse('127.0.0.2'), $port); $other.Start()
            $script:w = New-EscapeWorld -Layer $Layer -Extra "[sandbox_network]`nmode = `"allowlist`"`nallowed_domains = [`"example.com`"]`nallowed_ports = [$port]"
        }
    }
    AfterAll {
        if ($local) { $local.Stop() }
        if ($other) { $other.Stop() }
        if ($w) { Remove-Item -Recurse -Force $w.Root -ErrorAction SilentlyContinue }
    }
    BeforeEach { if ($skipReason) { Set-ItResult -Skipped -Because $skipReason } }

    It 'reaches the allowed local port, but not another address on that port' {
        $code = "import socket`nfor host in ('127.0.0.1', '127.0.0.2'):`n    try:`n        socket.create_connection((host, $port), timeout=3).close(); print('CONNECTED', host)`n    except OSError as e:`n        print('denied', host, e.errno)"
        $r = Invoke-Probe $w $code
        $otherReached = $other.Pending()
        if ($Layer -eq 'bwrap') {
            $r.Stdout | Should -Match 'CONNECTED 127.0.0.1' -Because "the allowed port is relayed to the host's loopback: $($r.Stdout) $($r.Stderr)"
            $r.Stdout | Should -Match 'denied 127.0.0.2' -Because $r.Stdout
            $otherReached | Should -BeFalse
            ($r.Enforcement -join "`n") | Should -Match 'namespace-network: a private network namespace'
        }
        else {
            # Landlock's rules are by port: the run must say that other hosts on these ports stay reachable.
            ($r.NotEnforced -join "`n") | Should -Match 'network-allowlist: without a private network namespace'
        }
        while ($other.Pending()) { $other.AcceptTcpClient().Dispose() }
        while ($local.Pending()) { $local.AcceptTcpClient().Dispose() }
    }
}
