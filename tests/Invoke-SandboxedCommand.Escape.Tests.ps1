# The escape suite: every case is a real attempt inside the real sandbox, once with the bubblewrap layer and once
# with the launcher alone. Where the launcher alone cannot enforce something, the test asserts that the result says so.
BeforeDiscovery {
    $script:layers = @(@{ Layer = 'bwrap' }, @{ Layer = 'launcher' })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'Escape/EscapeHelpers.ps1')
    $script:home0 = New-TestCodexHome
    $script:py = Get-RealPython
    $script:cap = Get-SandboxCapability
}

AfterAll { Remove-Item -Recurse -Force $home0.Root -ErrorAction SilentlyContinue }

Describe 'Escape suite with the <Layer> layer' -ForEach $layers {
    BeforeAll {
        $script:skipReason = if ($why = Get-LayerSkipReason $Layer $cap) { $why }
        if (-not $skipReason) { $script:w = New-EscapeWorld -Layer $Layer }
    }
    AfterAll { if ($w) { Remove-Item -Recurse -Force $w.Root -ErrorAction SilentlyContinue } }
    BeforeEach {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason }
        Set-Content -Path $w.Target -Value 'original' -NoNewline
        & chown 0:0 $w.Target; & chmod 644 $w.Target
    }

    Context 'files outside the writable root' {
        It 'denies <name>' -TestCases @(
            @{ name = 'write'; line = 'echo pwned > "$T"' }
            @{ name = 'append'; line = 'echo pwned >> "$T"' }
            @{ name = 'truncate'; line = 'truncate -s 0 "$T"' }
            @{ name = 'rm'; line = 'rm -f "$T"' }
            @{ name = 'rename'; line = 'mv "$T" "$T.moved"' }
            @{ name = 'chmod'; line = 'chmod 777 "$T"' }
            @{ name = 'chown'; line = 'chown 65534 "$T"' }
            @{ name = 'utime'; line = 'touch -d 2001-01-01 "$T"' }
            @{ name = 'mkdir'; line = 'mkdir "$O/newdir"' }
            @{ name = 'mknod (fifo)'; line = 'mknod "$O/fifo" p' }
            @{ name = 'symlink creation'; line = 'ln -s /etc/passwd "$O/link"' }
        ) {
            $before = Get-Item $w.Target
            $r = Invoke-InWorld $w "T='$($w.Target)'; O='$($w.Out)'; $line"
            if ($Layer -eq 'launcher' -and $name -in 'chmod', 'chown', 'utime') {
                # Landlock does not cover metadata: without the namespace layer the result must say so.
                ($r.NotEnforced -join "`n") | Should -Match '^metadata: |\nmetadata: '
                return
            }
            $r.ExitCode | Should -Not -Be 0 -Because $r.Stderr
            $r.LikelySandboxDenial | Should -BeTrue -Because "stderr was: $($r.Stderr)"
            Get-Content -Raw $w.Target | Should -Be 'original'
            $after = Get-Item $w.Target
            $after.LastWriteTimeUtc | Should -Be $before.LastWriteTimeUtc
            $after.UnixFileMode | Should -Be $before.UnixFileMode
            Get-ChildItem $w.Out | ForEach-Object Name | Should -Be @('target')
        }

        It 'denies setting an extended attribute' {
            if (-not $py) { Set-ItResult -Skipped -Because 'python3 is not installed' }
            if ($Layer -eq 'launcher') { Set-ItResult -Skipped -Because 'metadata outside the roots is reported as not enforced without the namespace layer (asserted with chmod/chown/utime)' }
            $r = Invoke-InWorld $w "'$py' -c `"import os; os.setxattr('$($w.Target)', 'user.x', b'1')`""
            $r.ExitCode | Should -Not -Be 0
            $r.Stderr | Should -Match 'Operation not permitted|Read-only file system|Permission denied'
        }

        It 'does not let a symlink inside the root write outside it' {
            $r = Invoke-InWorld $w "ln -sf '$($w.Target)' link && echo pwned > link"
            $r.ExitCode | Should -Not -Be 0
            Get-Content -Raw $w.Target | Should -Be 'original'
        }

        It 'does not let a hard link inside the root reach a file outside it' {
            $r = Invoke-InWorld $w "ln '$($w.Target)' hardlink && echo pwned > hardlink"
            $r.ExitCode | Should -Not -Be 0
            Get-Content -Raw $w.Target | Should -Be 'original'
        }
    }

    Context 'files inside the writable root' {
        It 'allows <name>' -TestCases @(
            @{ name = 'write and append'; line = 'echo a > f && echo b >> f && test "$(cat f)" = "$(printf "a\nb")"' }
            @{ name = 'truncate'; line = 'truncate -s 0 inside' }
            @{ name = 'chmod'; line = 'chmod 600 inside' }
            @{ name = 'chown to oneself'; line = 'chown "$(id -u)" inside' }
            @{ name = 'utime'; line = 'touch -d 2001-01-01 inside' }
            @{ name = 'mkdir, rename and rm'; line = 'mkdir -p d/e && mv d d2 && rm -rf d2' }
            @{ name = 'mknod (fifo)'; line = 'mknod fifo p && rm fifo' }
            @{ name = 'symlink and hard link within the root'; line = 'ln -s inside l && ln inside h && rm l h' }
        ) {
            Set-Content -Path (Join-Path $w.Ws 'inside') -Value 'original' -NoNewline
            $r = Invoke-InWorld $w $line
            $r.ExitCode | Should -Be 0 -Because $r.Stderr
            $r.LikelySandboxDenial | Should -BeFalse
        }

        It 'allows setting an extended attribute' {
            if (-not $py) { Set-ItResult -Skipped -Because 'python3 is not installed' }
            $r = Invoke-InWorld $w "'$py' -c `"import os; os.setxattr('inside', 'user.x', b'1')`""
            $r.ExitCode | Should -Be 0 -Because $r.Stderr
        }

        It 'denies metadata changes inside the root in read-only mode' {
            $r = Invoke-InWorld $w 'chmod 600 inside' -Mode ReadOnly
            $r.ExitCode | Should -Not -Be 0
        }
    }

    Context 'protected paths (.git, .codex)' {
        It 'keeps .git read-only, or reports that it cannot' {
            $r = Invoke-InWorld $w 'echo pwned > .git/hooks/pre-commit'
            if ($Layer -eq 'bwrap') {
                $r.ExitCode | Should -Not -Be 0
                $r.Stderr | Should -Match 'Read-only file system'
                Test-Path (Join-Path $w.Ws '.git/hooks/pre-commit') | Should -BeFalse
                $r.Enforcement | Should -Contain ($r.Enforcement | Where-Object { $_ -like 'protected-paths*' })
            }
            else {
                ($r.NotEnforced | Where-Object { $_ -like 'protected-paths*' }) | Should -Not -BeNullOrEmpty
                Remove-Item -Force (Join-Path $w.Ws '.git/hooks/pre-commit') -ErrorAction SilentlyContinue
            }
        }

        It 'makes git commit fail inside the sandbox with the namespace layer' {
            $r = Invoke-InWorld $w 'echo x > tracked && git add tracked && git -c user.email=a@b -c user.name=n commit -qm x'
            if ($Layer -eq 'bwrap') {
                $r.ExitCode | Should -Not -Be 0
                $r.Stderr | Should -Match 'index.lock|Read-only file system'
                & git -C $w.Ws log --oneline | Should -HaveCount 1
            }
            else {
                ($r.NotEnforced -join "`n") | Should -Match 'protected-paths'
                & git -C $w.Ws reset -q --hard 2>&1 | Out-Null
            }
            Remove-Item -Force (Join-Path $w.Ws 'tracked') -ErrorAction SilentlyContinue
        }

        It 'stops .codex from being created in the working directory, and leaves no mask behind' {
            $r = Invoke-InWorld $w 'mkdir -p .codex && echo "sandbox_mode = \"danger-full-access\"" > .codex/config.toml'
            if ($Layer -eq 'bwrap') {
                $r.ExitCode | Should -Not -Be 0
                Test-Path (Join-Path $w.Ws '.codex') | Should -BeFalse
            }
            else {
                ($r.NotEnforced -join "`n") | Should -Match 'protected-paths'
                Remove-Item -Recurse -Force (Join-Path $w.Ws '.codex') -ErrorAction SilentlyContinue
            }
        }
    }

    Context 'network (off)' {
        BeforeAll {
            $script:listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $listener.Start()
            $script:port = $listener.LocalEndpoint.Port
        }
        AfterAll { $listener.Stop() }

        It 'denies a TCP connection to a loopback listener on the host' {
            $r = Invoke-InWorld $w "bash -c 'exec 3<>/dev/tcp/127.0.0.1/$port && echo connected'"
            $r.Stdout | Should -Not -Match 'connected'
            $r.ExitCode | Should -Not -Be 0
        }

        It 'denies <name> sockets' -TestCases @(
            @{ name = 'UDP'; code = 'socket.socket(socket.AF_INET, socket.SOCK_DGRAM)' }
            @{ name = 'IPv6 TCP'; code = 'socket.socket(socket.AF_INET6, socket.SOCK_STREAM)' }
            @{ name = 'raw'; code = 'socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)' }
            @{ name = 'packet'; code = 'socket.socket(socket.AF_PACKET, socket.SOCK_RAW)' }
            @{ name = 'netlink'; code = 'socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)' }
        ) {
            if (-not $py) { Set-ItResult -Skipped -Because 'python3 is not installed' }
            $r = Invoke-InWorld $w "'$py' -c 'import socket; $code; print(""created"")'"
            $r.Stdout | Should -Not -Match 'created'
            $r.Stderr | Should -Match 'PermissionError|Operation not permitted|Permission denied'
        }

        It 'denies DNS lookups over UDP (the resolver cannot send)' {
            if (-not $py) { Set-ItResult -Skipped -Because 'python3 is not installed' }
            $udp = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
            try {
                $udpPort = $udp.Client.LocalEndPoint.Port
                $r = Invoke-InWorld $w "'$py' -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.sendto(b""q"", (""127.0.0.1"", $udpPort))'"
                $r.ExitCode | Should -Not -Be 0
                $udp.Available | Should -Be 0
            }
            finally { $udp.Dispose() }
        }

        It 'denies connecting to a host unix socket outside the root (docker.sock)' {
            if (-not $py) { Set-ItResult -Skipped -Because 'python3 is not installed' }
            $sockPath = Join-Path $w.Out 'docker.sock'
            $server = [System.Net.Sockets.Socket]::new('Unix', 'Stream', 'Unspecified')
            try {
                $server.Bind([System.Net.Sockets.UnixDomainSocketEndPoint]::new($sockPath)); $server.Listen(1)
                $r = Invoke-InWorld $w "'$py' -c 'import socket; s=socket.socket(socket.AF_UNIX); s.connect(""$sockPath""); print(""connected"")'"
                $r.Stdout | Should -Not -Match 'connected'
                $r.ExitCode | Should -Not -Be 0
            }
            finally { $server.Dispose(); Remove-Item -Force $sockPath -ErrorAction SilentlyContinue }
        }

        It 'denies abstract unix sockets of the host' {
            if (-not $py) { Set-ItResult -Skipped -Because 'python3 is not installed' }
            $name = "cxsb-$PID-$([guid]::NewGuid().ToString('n').Substring(0,6))"
            $server = [System.Net.Sockets.Socket]::new('Unix', 'Stream', 'Unspecified')
            try {
                $server.Bind([System.Net.Sockets.UnixDomainSocketEndPoint]::new("`0$name")); $server.Listen(1)
                $r = Invoke-InWorld $w "'$py' -c 'import socket; s=socket.socket(socket.AF_UNIX); s.connect(""\0$name""); print(""connected"")'"
                $r.Stdout | Should -Not -Match 'connected'
                $r.ExitCode | Should -Not -Be 0
            }
            finally { $server.Dispose() }
        }

        It 'sets CODEX_SANDBOX and CODEX_SANDBOX_NETWORK_DISABLED' {
            $r = Invoke-InWorld $w 'echo "$CODEX_SANDBOX/$CODEX_SANDBOX_NETWORK_DISABLED"'
            $r.Stdout.Trim() | Should -Be "$($r.Backend)/1"
        }

        It 'reaches the loopback listener when the network is on' {
            $r = Invoke-InWorld $w "bash -c 'exec 3<>/dev/tcp/127.0.0.1/$port && echo connected'" -Network
            $r.Stdout | Should -Match 'connected' -Because $r.Stderr
        }
    }

    Context 'processes and privileges' {
        It 'drops every capability and sets no_new_privs, as root' {
            $r = Invoke-InWorld $w 'grep -E "^(CapEff|CapPrm|CapBnd|CapAmb|NoNewPrivs):" /proc/self/status'
            $r.ExitCode | Should -Be 0
            $r.Stdout | Should -Match 'CapEff:\s+0+\b'
            $r.Stdout | Should -Match 'CapBnd:\s+0+\b'
            $r.Stdout | Should -Match 'NoNewPrivs:\s+1'
        }

        It 'cannot signal, ptrace or write the memory of a host process' {
            $victim = Start-Process -FilePath sleep -ArgumentList 300 -PassThru
            try {
                $r = Invoke-InWorld $w "kill -TERM $($victim.Id)"
                $r.ExitCode | Should -Not -Be 0
                if ($py) {
                    $r = Invoke-InWorld $w "'$py' -c 'import ctypes; libc=ctypes.CDLL(None, use_errno=True); print(libc.ptrace(16, $($victim.Id), 0, 0))'"
                    $r.Stdout.Trim() | Should -Be '-1'
                    $r = Invoke-InWorld $w "'$py' -c 'open(""/proc/$($victim.Id)/mem"", ""wb"").write(b""x"")'"
                    $r.ExitCode | Should -Not -Be 0
                }
                $victim.HasExited | Should -BeFalse
            }
            finally { $victim.Kill() }
        }

        It 'cannot mount, remount or create a user namespace' {
            (Invoke-InWorld $w 'mkdir -p m && mount -t tmpfs none m').ExitCode | Should -Not -Be 0
            (Invoke-InWorld $w 'mount -o remount,rw /').ExitCode | Should -Not -Be 0
            (Invoke-InWorld $w 'unshare -U true').ExitCode | Should -Not -Be 0
            (Invoke-InWorld $w 'unshare -Ur true').ExitCode | Should -Not -Be 0
        }

        It 'cannot inject keystrokes with TIOCSTI or use io_uring' {
            if (-not $py) { Set-ItResult -Skipped -Because 'python3 is not installed' }
            $r = Invoke-InWorld $w "'$py' -c 'import fcntl, termios, ctypes, os
try:
    fcntl.ioctl(0, termios.TIOCSTI, b""x""); print(""tiocsti ok"")
except OSError as e:
    print(""tiocsti"", e.errno)
libc = ctypes.CDLL(None, use_errno=True)
buf = ctypes.create_string_buffer(256)
print(""io_uring"", libc.syscall(425, 4, buf), ctypes.get_errno())'"
            $r.Stdout | Should -Not -Match 'tiocsti ok'
            $r.Stdout | Should -Match 'io_uring -1 (1|38)\b'
        }

        It 'hides host processes with the namespace layer, or reports that it cannot' {
            $r = Invoke-InWorld $w 'ls /proc | grep -c "^[0-9]"'
            if ($Layer -eq 'bwrap') { [int]$r.Stdout.Trim() | Should -BeLessThan 10 }
            else { ($r.NotEnforced -join "`n") | Should -Match 'namespace-pid' }
        }
    }

    Context 'environment, exit codes and streams' {
        It 'keeps secrets out of the environment' {
            $env:CXSB_ESCAPE_TOKEN = 'tok-123'; $env:CXSB_DB_PASSWORD = 'pw'
            try {
                $r = Invoke-InWorld $w 'env'
                $r.Stdout | Should -Not -Match 'tok-123'
                $r.Stdout | Should -Not -Match 'CXSB_DB_PASSWORD'
            }
            finally { Remove-Item Env:CXSB_ESCAPE_TOKEN, Env:CXSB_DB_PASSWORD }
        }

        It 'passes exit code <expected> through' -TestCases @(
            @{ shell = 'true'; expected = 0 }
            @{ shell = 'false'; expected = 1 }
            @{ shell = 'exit 42'; expected = 42 }
            @{ shell = 'no-such-command-xyz'; expected = 127 }
            @{ shell = 'kill -9 $$'; expected = 137 }
            @{ shell = 'kill -TERM $$'; expected = 143 }
        ) {
            $r = Invoke-InWorld $w $shell
            $r.ExitCode | Should -Be $expected -Because "argv $($r.Argv -join "|") stderr $($r.Stderr)"
            $r.LikelySandboxDenial | Should -BeFalse
            $global:LASTEXITCODE | Should -Be $expected
        }

        It 'keeps stdout and stderr apart' {
            $r = Invoke-InWorld $w 'echo out; echo err >&2; echo out2'
            $r.Stdout | Should -Be "out`nout2`n"
            $r.Stderr | Should -Be "err`n"
        }
    }
}

Describe 'Resource limits (<Layer> layer)' -ForEach $layers {
    BeforeAll {
        $script:skipReason = if ($why = Get-LayerSkipReason $Layer $cap) { $why }
    }
    BeforeEach { if ($skipReason) { Set-ItResult -Skipped -Because $skipReason } }

    It 'caps memory' {
        if (-not $py) { Set-ItResult -Skipped -Because 'python3 is not installed' }
        $w = New-EscapeWorld -Layer $Layer -Extra "[sandbox_limits]`nmemory_mb = 200"
        $r = Invoke-InWorld $w "'$py' -c 'x = bytearray(600 * 1024 * 1024); print(""allocated"")'"
        $r.Stdout | Should -Not -Match 'allocated'
        $r.ExitCode | Should -Not -Be 0
        Remove-Item -Recurse -Force $w.Root
    }

    It 'caps CPU time' {
        $w = New-EscapeWorld -Layer $Layer -Extra "[sandbox_limits]`ncpu_seconds = 1"
        $r = Invoke-InWorld $w 'while :; do :; done' -TimeoutSec 30
        $r.TimedOut | Should -BeFalse
        $r.ExitCode | Should -BeIn @(137, 152)   # SIGKILL or SIGXCPU
        Remove-Item -Recurse -Force $w.Root
    }

    It 'caps file size' {
        $w = New-EscapeWorld -Layer $Layer -Extra "[sandbox_limits]`nfile_size_mb = 1"
        $r = Invoke-InWorld $w 'head -c 5000000 /dev/zero > big'
        $r.ExitCode | Should -Not -Be 0
        (Get-Item (Join-Path $w.Ws 'big')).Length | Should -BeLessOrEqual 1MB
        Remove-Item -Recurse -Force $w.Root
    }

    It 'caps open files' {
        if (-not $py) { Set-ItResult -Skipped -Because 'python3 is not installed' }
        $w = New-EscapeWorld -Layer $Layer -Extra "[sandbox_limits]`nopen_files = 32"
        $r = Invoke-InWorld $w "'$py' -c 'fs = [open(""/dev/null"") for _ in range(100)]; print(""opened"")'"
        $r.Stdout | Should -Not -Match 'opened'
        $r.Stderr | Should -Match 'Too many open files'
        Remove-Item -Recurse -Force $w.Root
    }

    It 'caps the number of processes (a bounded fork bomb)' {
        $w = New-EscapeWorld -Layer $Layer -Extra "[sandbox_limits]`nmax_processes = 200"
        # Each child lives long enough that 200 are alive at once however slowly a loaded machine forks; the run does not
        # wait for them, and nothing the command started outlives the run (tested below).
        $r = Invoke-InWorld $w 'for i in $(seq 1 600); do (sleep 30) >/dev/null 2>&1 & done; echo started' -TimeoutSec 60
        $r.Stderr + $r.Stdout | Should -Match 'fork|Resource temporarily unavailable|retry'
        Remove-Item -Recurse -Force $w.Root
    }

    It 'kills the whole process tree on timeout and reports exit code 124' {
        $w = New-EscapeWorld -Layer $Layer
        $marker = "3$(Get-Random -Minimum 100 -Maximum 999).5"
        $r = Invoke-InWorld $w "sleep $marker & sleep $marker; echo done" -TimeoutSec 1
        $r.TimedOut | Should -BeTrue
        $r.ExitCode | Should -Be 124
        $r.Stdout | Should -Not -Match 'done'
        Start-Sleep -Milliseconds 300
        (& pgrep -f "sleep $marker") | Should -BeNullOrEmpty
        Remove-Item -Recurse -Force $w.Root
    }
}

# A permission profile that grants read only to the workspace (plus :minimal): nothing else of the disk can be read,
# listed or executed. Every case is a real attempt; "original" is the content of both the target outside and the file inside.
Describe 'Read limit of a permission profile (<Layer> layer)' -ForEach $layers {
    BeforeAll {
        $script:skipReason = if ($why = Get-LayerSkipReason $Layer $cap) { $why }
        if (-not $skipReason) {
            $script:w = New-EscapeWorld -Layer $Layer
            $namespaces = if ($Layer -eq 'bwrap') { 'required' } else { 'off' }
            $script:profileText = @"
[permissions.reader.filesystem]
":minimal" = "read"
":workspace_roots" = "read"
[permissions.tmpwriter.filesystem]
":minimal" = "read"
":workspace_roots" = "read"
"/tmp" = "write"
[sandbox_linux]
namespaces = "$namespaces"
[sandbox_rollback]
checkpoint = "never"
"@
            Set-Content $w.Config "default_permissions = `"reader`"`n$profileText"
            function script:Invoke-Limited([string] $Line, [string] $Permissions = 'reader') {
                Invoke-SandboxedCommand -Command $Line -ConfigPath $w.Config -WorkingDirectory $w.Ws -Permissions $Permissions -TimeoutSec 60 -WarningAction SilentlyContinue -Force
            }
        }
    }
    AfterAll { if ($w) { Remove-Item -Recurse -Force $w.Root -ErrorAction SilentlyContinue } }
    BeforeEach { if ($skipReason) { Set-ItResult -Skipped -Because $skipReason } }

    It 'denies a cat of a file outside the workspace' {
        $r = Invoke-Limited "cat '$($w.Target)'"
        $r.ExitCode | Should -Not -Be 0
        $r.Stdout | Should -Not -Match 'original'
        $r.Stderr | Should -Match 'Permission denied|No such file or directory'
    }

    It 'denies an ls of a folder outside the workspace, and of /' {
        $r = Invoke-Limited "ls '$($w.Out)'"
        $r.ExitCode | Should -Not -Be 0
        $r.Stdout | Should -Not -Match 'target'
        $root = Invoke-Limited 'ls /'
        $root.ExitCode | Should -Not -Be 0
        $root.Stdout | Should -BeNullOrEmpty
    }

    It 'reads a file inside the workspace, and /bin/sh still starts' {
        $r = Invoke-Limited 'cat inside && /bin/sh -c "echo started"'
        $r.ExitCode | Should -Be 0 -Because $r.Stderr
        $r.Stdout | Should -Be "originalstarted`n"
    }

    It 'cannot execute a program outside the readable paths' {
        Copy-Item /bin/true (Join-Path $w.Out 'mytrue')
        try {
            $r = Invoke-Limited "'$(Join-Path $w.Out 'mytrue')'"
            $r.ExitCode | Should -BeIn @(126, 127)
        }
        finally { Remove-Item -Force (Join-Path $w.Out 'mytrue') -ErrorAction Ignore }
    }

    It 'lists the read limit in Enforcement and no longer claims it is missing' {
        $r = Invoke-Limited 'true'
        $r.Enforcement | Where-Object { $_ -like 'read-limit:*' } | Should -Match ([regex]::Escape("only in /bin")) -Because ($r.Enforcement -join "`n")
        ($r.Enforcement -join "`n") | Should -Match ([regex]::Escape($w.Ws))
        $r.NotEnforced | Where-Object { $_ -like 'read-limit:*' } | Should -BeNullOrEmpty
        ($r.NotEnforced -join "`n") | Should -Not -Match 'whole disk stays readable'
        if ($Layer -eq 'bwrap') { $r.Enforcement | Where-Object { $_ -like 'read-limit-mounts:*' } | Should -Not -BeNullOrEmpty }
        else { $r.NotEnforced | Where-Object { $_ -like 'read-limit-lookup:*' } | Should -Not -BeNullOrEmpty }
    }

    It 'keeps a deny entry inside the readable workspace unreadable' {
        Set-Content (Join-Path $w.Ws 'deny.env') 'DENIED' -NoNewline
        $cfg = Join-Path $w.Root 'deny.toml'
        Set-Content $cfg ("default_permissions = `"reader`"`n" + $profileText.Replace("`":workspace_roots`" = `"read`"`n[permissions.tmpwriter", "`":workspace_roots`" = `"read`"`n`"$(Join-Path $w.Ws 'deny.env')`" = `"deny`"`n[permissions.tmpwriter"))
        try {
            $r = Invoke-SandboxedCommand -Command 'cat deny.env; cat inside' -ConfigPath $cfg -WorkingDirectory $w.Ws -TimeoutSec 60 -WarningAction SilentlyContinue -Force
            $r.Stdout | Should -Not -Match 'DENIED'
            $r.Stdout | Should -Match 'original'
        }
        finally { Remove-Item -Force (Join-Path $w.Ws 'deny.env'), $cfg -ErrorAction Ignore }
    }

    It 'makes an explicit "/tmp" = "write" entry the private /tmp: writable inside, never the host''s' {
        $hostFile = Join-Path '/tmp' "cxsb-host-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        $probe = "cxsb-probe-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        Set-Content $hostFile 'HOST-TMP' -NoNewline
        try {
            $r = Invoke-Limited "cat '$hostFile'; echo private > `"`${TMPDIR:-/tmp}/$probe`" && cat `"`${TMPDIR:-/tmp}/$probe`"" -Permissions tmpwriter
            $r.Stdout | Should -Not -Match 'HOST-TMP'
            $r.Stdout | Should -Match 'private' -Because $r.Stderr
            Test-Path (Join-Path '/tmp' $probe) | Should -BeFalse
            $r.WritableRoots | Should -Not -Contain '/tmp'
            if ($Layer -eq 'bwrap') {
                $direct = Invoke-Limited "echo x > /tmp/$probe && cat /tmp/$probe" -Permissions tmpwriter
                $direct.ExitCode | Should -Be 0 -Because $direct.Stderr
                Test-Path (Join-Path '/tmp' $probe) | Should -BeFalse
            }
        }
        finally { Remove-Item -Force $hostFile -ErrorAction Ignore }
    }
}
