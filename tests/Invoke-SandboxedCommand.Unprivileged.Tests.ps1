# The same sandbox, launched by an unprivileged user (uid 65534) instead of root: the launch plan the module
# builds is run with setpriv, so what is tested is exactly the bwrap/launcher command line of a real run.
BeforeDiscovery {
    $script:layers = @(@{ Layer = 'bwrap' }, @{ Layer = 'launcher' })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:home0 = New-TestCodexHome
    $script:cap = Get-SandboxCapability
    $script:setpriv = (Get-Command setpriv -ErrorAction Ignore).Source
    $script:canDrop = $setpriv -and ((& id -u) -eq '0')
}
AfterAll { Remove-Item -Recurse -Force $home0.Root -ErrorAction SilentlyContinue }

Describe 'As an unprivileged user, with the <Layer> layer' -ForEach $layers {
    BeforeAll {
        $script:skip = if (-not $canDrop) { 'creating an unprivileged process needs root and setpriv (util-linux)' }
                       elseif ($Layer -eq 'bwrap' -and -not $cap.BwrapWorks) { "bubblewrap is not usable here: $($cap.BwrapProblem)" }
        if (-not $skip) {
            $script:root = Join-Path (Get-TestBase) "cxsb-unpriv-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
            $script:ws = (New-Item -ItemType Directory -Force (Join-Path $root 'ws')).FullName
            $script:out = (New-Item -ItemType Directory -Force (Join-Path $root 'outside')).FullName
            & chmod 755 $root
            & chown 65534:65534 $ws $out          # the user owns both, so only the sandbox can stop the write outside
            $cfg = Join-Path $root 'config.toml'
            Set-Content $cfg "[sandbox_workspace_write]`nexclude_slash_tmp = true`nexclude_tmpdir_env_var = true`n[sandbox_linux]`nnamespaces = '$(if ($Layer -eq 'bwrap') { 'required' } else { 'off' })'"
            $plan = (Get-SandboxPolicy -TargetPlatform Linux -SandboxMode WorkspaceWrite -ConfigPath $cfg -WorkingDirectory $ws -WarningAction SilentlyContinue).LaunchPlan
            $script:prefix = @($plan.Program) + @($plan.Arguments | Select-Object -SkipLast 1)   # everything but the stand-in '<command>'
        }
    }
    AfterAll { if ($root) { Remove-Item -Recurse -Force $root -ErrorAction SilentlyContinue } }
    BeforeEach { if ($skip) { Set-ItResult -Skipped -Because $skip } }

    function script:Invoke-AsNobody([string] $Line) {
        $argv = @('--reuid=65534', '--regid=65534', '--clear-groups', '--') + $prefix + @('/bin/sh', '-c', $Line)
        $output = & $setpriv @argv 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join "`n") }
    }

    It 'runs as uid 65534 with no capabilities' {
        $r = Invoke-AsNobody 'id -u; grep -E "^(CapEff|NoNewPrivs):" /proc/self/status'
        $r.ExitCode | Should -Be 0 -Because $r.Output
        $r.Output | Should -Match '65534'
        $r.Output | Should -Match 'CapEff:\s+0+\b'
        $r.Output | Should -Match 'NoNewPrivs:\s+1'
    }

    It 'writes inside the workspace' {
        (Invoke-AsNobody "echo ok > '$ws/inside'").ExitCode | Should -Be 0
        Get-Content (Join-Path $ws 'inside') | Should -Be 'ok'
    }

    It 'cannot write a folder the user owns outside the workspace' {
        $r = Invoke-AsNobody "echo pwned > '$out/escape'"
        $r.ExitCode | Should -Not -Be 0
        Test-Path (Join-Path $out 'escape') | Should -BeFalse
    }

    It 'cannot open a network socket' {
        $r = Invoke-AsNobody 'bash -c "exec 3<>/dev/tcp/127.0.0.1/9" && echo connected'
        $r.Output | Should -Not -Match 'connected'
    }

    It 'cannot create a user namespace' {
        (Invoke-AsNobody 'unshare -Ur true').ExitCode | Should -Not -Be 0
    }
}

# The containment cases of Invoke-SandboxedCommand.Containment.Tests.ps1, as uid 65534: the module's own launch plans
# (network off and on) run under setpriv, against endpoints and files that the unprivileged user owns.
Describe 'Containment as an unprivileged user, with the <Layer> layer' -ForEach $layers {
    BeforeAll {
        $script:py = & python3 -c 'import sys; print(sys.executable)' 2>$null
        $script:skip = if (-not $canDrop) { 'creating an unprivileged process needs root and setpriv (util-linux)' }
                       elseif ($Layer -eq 'bwrap' -and -not $cap.BwrapWorks) { "bubblewrap is not usable here: $($cap.BwrapProblem)" }
                       elseif (-not $py) { 'python3 is not installed' }
        if (-not $skip) {
            $script:root = Join-Path (Get-TestBase) "cxsb-unpriv-c-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
            $script:ws = (New-Item -ItemType Directory -Force (Join-Path $root 'ws')).FullName
            $script:out = (New-Item -ItemType Directory -Force (Join-Path $root 'outside')).FullName
            & chmod 755 $root
            & git init -q $ws 2>&1 | Out-Null
            & chown -R 65534:65534 $ws $out
            $cfg = Join-Path $root 'config.toml'
            Set-Content $cfg "[sandbox_linux]`nnamespaces = '$(if ($Layer -eq 'bwrap') { 'required' } else { 'off' })'"
            function script:PrefixFor([switch] $Network) {
                $plan = (Get-SandboxPolicy -TargetPlatform Linux -SandboxMode WorkspaceWrite -NetworkAccess:$Network -ConfigPath $cfg -WorkingDirectory $ws -WarningAction SilentlyContinue).LaunchPlan
                if ($plan.EnvironmentChanges['TMPDIR']) {
                    # The launcher-only layer's private folder: the module creates it for each run; here the test does.
                    $null = New-Item -ItemType Directory -Force $plan.EnvironmentChanges['TMPDIR']; & chown 65534:65534 $plan.EnvironmentChanges['TMPDIR']
                }
                @($plan.Program) + @($plan.Arguments | Select-Object -SkipLast 1)
            }
            $script:offPrefix = PrefixFor
            $script:onPrefix = PrefixFor -Network
        }
    }
    AfterAll { if ($root) { Remove-Item -Recurse -Force $root -ErrorAction SilentlyContinue } }
    BeforeEach { if ($skip) { Set-ItResult -Skipped -Because $skip } }

    function script:Invoke-Nobody([string[]] $Prefix, [string[]] $Command, [string] $Shell = '') {
        $argv = @('--reuid=65534', '--regid=65534', '--clear-groups', '--') + $Prefix + $Command
        if ($Shell) { $output = & bash -c "$Shell `"`$@`"" bash $setpriv @argv 2>&1 }
        else { $output = & $setpriv @argv 2>&1 }
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join "`n") }
    }

    It 'cannot open a FIFO or connect to a socket of another process of the user in /tmp, network on' {
        $folder = Join-Path '/tmp' "cxsb-nb-$([guid]::NewGuid().ToString('n').Substring(0, 6))"
        $null = New-Item -ItemType Directory -Force $folder
        $sock = Join-Path $folder 'svc.sock'; $fifo = Join-Path $folder 'pipe'
        $server = [System.Net.Sockets.Socket]::new('Unix', 'Stream', 'Unspecified')
        try {
            $server.Bind([System.Net.Sockets.UnixDomainSocketEndPoint]::new($sock)); $server.Listen(4)
            & mkfifo $fifo
            & chown -R 65534:65534 $folder; & chmod 777 $sock
            $code = "import os, socket`nfor f in (os.O_RDONLY, os.O_WRONLY):`n    try:`n        os.close(os.open('$fifo', f | os.O_NONBLOCK)); print('OPENED')`n    except OSError as e:`n        print('OPENED' if e.errno == 6 else 'denied', e.errno)`ntry:`n    s = socket.socket(socket.AF_UNIX); s.connect('$sock'); print('CONNECTED')`nexcept OSError as e:`n    print('denied', e.errno)"
            $r = Invoke-Nobody $onPrefix @($py, '-c', $code)
            $r.Output | Should -Not -Match 'OPENED|CONNECTED' -Because $r.Output
            $r.Output | Should -Match 'denied'
        }
        finally { $server.Dispose(); Remove-Item -Recurse -Force $folder -ErrorAction Ignore }
    }

    It 'does not pass an inherited descriptor to the command' {
        $target = Join-Path $out 'fd7'
        Set-Content $target '' -NoNewline; & chown 65534:65534 $target
        $r = Invoke-Nobody $offPrefix @('/bin/sh', '-c', 'echo through-fd7 >&7; echo ran') -Shell "exec 7>>'$target';"
        $r.Output | Should -Match 'ran'
        Get-Content -Raw $target | Should -BeNullOrEmpty -Because $r.Output
    }

    It 'leaves no daemon behind' {
        $tag = "cxsb-nb-daemon-$(Get-Random -Minimum 1000 -Maximum 9999)"
        $r = Invoke-Nobody $offPrefix @('/bin/sh', '-c', "setsid sh -c 'exec -a $tag sleep 60' </dev/null >/dev/null 2>&1 & echo started")
        $r.Output | Should -Match 'started'
        Start-Sleep -Milliseconds 500
        (& pgrep -f $tag) | Should -BeNullOrEmpty
    }

    It 'cannot open a terminal of the user' {
        $ptyFile = Join-Path $root 'pty.txt'
        $script = Join-Path $root 'hold-pty.py'
        Set-Content $script "import os, pty, time`nm, s = pty.openpty()`nprint(os.ttyname(s), flush=True)`ntime.sleep(60)"
        $holder = Start-Process -FilePath setpriv -ArgumentList '--reuid=65534', '--regid=65534', '--clear-groups', '--', $py, $script -PassThru -RedirectStandardOutput $ptyFile
        try {
            foreach ($i in 1..50) { if ((Test-Path $ptyFile) -and (Get-Content $ptyFile)) { break }; Start-Sleep -Milliseconds 100 }
            $pts = (Get-Content $ptyFile | Select-Object -First 1).Trim()
            $r = Invoke-Nobody $offPrefix @($py, '-c', "import os`ntry:`n    fd = os.open('$pts', os.O_RDWR | os.O_NOCTTY); os.write(fd, b'INJECTED'); print('OPENED')`nexcept OSError as e:`n    print('denied', e.errno)")
            $r.Output | Should -Not -Match 'OPENED'
            $r.Output | Should -Match 'denied'
        }
        finally { $holder | Stop-Process -Force -ErrorAction Ignore }
    }

    It 'cannot write .git or rename the folder that holds it (namespace layer), or reports it' {
        $r = Invoke-Nobody $offPrefix @('/bin/sh', '-c', "echo x >> '$ws/.git/config'; mv '$ws' '$ws-moved'")
        if ($Layer -eq 'bwrap') {
            $r.ExitCode | Should -Not -Be 0
            Get-Content -Raw (Join-Path $ws '.git/config') | Should -Not -Match '(?m)^x$'
            Test-Path "$ws-moved" | Should -BeFalse
        }
        else {
            $plan = (Get-SandboxPolicy -TargetPlatform Linux -SandboxMode WorkspaceWrite -ConfigPath $cfg -WorkingDirectory $ws -WarningAction SilentlyContinue).LaunchPlan
            ($plan.NotEnforced -join "`n") | Should -Match 'protected-paths'
            if (Test-Path "$ws-moved") { Move-Item "$ws-moved" $ws }
        }
    }
}

Describe 'Trusted files inside the workspace, as an unprivileged user, with the <Layer> layer' -ForEach $layers {
    BeforeAll {
        $script:skip = if (-not $canDrop) { 'creating an unprivileged process needs root and setpriv (util-linux)' }
                       elseif ($Layer -eq 'bwrap' -and -not $cap.BwrapWorks) { "bubblewrap is not usable here: $($cap.BwrapProblem)" }
        if (-not $skip) {
            $script:root = Join-Path (Get-TestBase) "cxsb-unpriv-t-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
            $script:ws = (New-Item -ItemType Directory -Force (Join-Path $root 'ws')).FullName
            & chmod 755 $root
            # $CODEX_HOME and a copy of the launcher both inside the workspace, all owned by the unprivileged user.
            $script:codexHome = (New-Item -ItemType Directory -Force (Join-Path $ws 'codex-home/log')).Parent.FullName
            Set-Content (Join-Path $codexHome 'config.toml') '# mine'
            Set-Content (Join-Path $codexHome 'log/sandbox-audit.jsonl') '{"seq":1}'
            $script:bin = (New-Item -ItemType Directory -Force (Join-Path $ws 'modcopy/bin/linux-x64')).FullName
            Copy-Item $cap.LauncherPath $bin
            & chown -R 65534:65534 $ws
            $script:cfg = Join-Path $root 'config.toml'
            Set-Content $cfg "[sandbox_linux]`nnamespaces = '$(if ($Layer -eq 'bwrap') { 'required' } else { 'off' })'"
        }
    }
    AfterAll { if ($root) { Remove-Item -Recurse -Force $root -ErrorAction SilentlyContinue } }
    BeforeEach { if ($skip) { Set-ItResult -Skipped -Because $skip } }

    It 'cannot rewrite $CODEX_HOME, truncate the audit log or replace the launcher; without namespaces the run is refused' {
        $saved = $env:CODEX_HOME, $env:CODEXSANDBOX_LAUNCHER
        try {
            $env:CODEX_HOME = $codexHome; $env:CODEXSANDBOX_LAUNCHER = Join-Path $bin 'codex-linux-sandbox'
            $refusal = $null
            try { $policy = Get-SandboxPolicy -TargetPlatform Linux -SandboxMode WorkspaceWrite -ConfigPath $cfg -WorkingDirectory $ws -WarningAction SilentlyContinue -ErrorAction Stop }
            catch { $refusal = $_ }
        }
        finally { $env:CODEX_HOME, $env:CODEXSANDBOX_LAUNCHER = $saved }
        if ($Layer -eq 'launcher') {
            $refusal | Should -Not -BeNullOrEmpty -Because 'the launcher alone cannot keep them read-only inside a writable root'
            "$refusal" | Should -Match 'inside a writable root'
            return
        }
        $refusal | Should -BeNullOrEmpty
        $prefix = @($policy.LaunchPlan.Program) + @($policy.LaunchPlan.Arguments | Select-Object -SkipLast 1)
        $line = "echo pwned > '$codexHome/config.toml'; true > '$codexHome/log/sandbox-audit.jsonl'; mv '$bin/codex-linux-sandbox' '$bin/x'; echo done"
        $output = & $setpriv --reuid=65534 --regid=65534 --clear-groups -- @prefix /bin/sh -c $line 2>&1
        ($output -join "`n") | Should -Match 'done'
        Get-Content -Raw (Join-Path $codexHome 'config.toml') | Should -Match '# mine'
        (Get-Item (Join-Path $codexHome 'log/sandbox-audit.jsonl')).Length | Should -BeGreaterThan 0
        Test-Path (Join-Path $bin 'codex-linux-sandbox') | Should -BeTrue
    }
}

# A permission profile's read limit, as uid 65534: the module's launch plan for a profile that grants read only to the
# workspace (plus :minimal), run under setpriv against files the unprivileged user owns and could read without the sandbox.
Describe 'Read limit as an unprivileged user, with the <Layer> layer' -ForEach $layers {
    BeforeAll {
        $script:skip = if (-not $canDrop) { 'creating an unprivileged process needs root and setpriv (util-linux)' }
                       elseif ($Layer -eq 'bwrap' -and -not $cap.BwrapWorks) { "bubblewrap is not usable here: $($cap.BwrapProblem)" }
        if (-not $skip) {
            $script:root = Join-Path (Get-TestBase) "cxsb-unpriv-r-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
            $script:ws = (New-Item -ItemType Directory -Force (Join-Path $root 'ws')).FullName
            $script:out = (New-Item -ItemType Directory -Force (Join-Path $root 'outside')).FullName
            Set-Content (Join-Path $ws 'inside') 'INSIDE' -NoNewline
            Set-Content (Join-Path $out 'target') 'OUTSIDE' -NoNewline
            & chmod 755 $root
            & chown -R 65534:65534 $ws $out
            $cfg = Join-Path $root 'config.toml'
            Set-Content $cfg "default_permissions = 'reader'`n[permissions.reader.filesystem]`n':minimal' = 'read'`n':workspace_roots' = 'read'`n[sandbox_linux]`nnamespaces = '$(if ($Layer -eq 'bwrap') { 'required' } else { 'off' })'"
            $script:plan = (Get-SandboxPolicy -TargetPlatform Linux -ConfigPath $cfg -WorkingDirectory $ws -WarningAction SilentlyContinue).LaunchPlan
            $script:prefix = @($plan.Program) + @($plan.Arguments | Select-Object -SkipLast 1)
        }
    }
    AfterAll { if ($root) { Remove-Item -Recurse -Force $root -ErrorAction SilentlyContinue } }
    BeforeEach { if ($skip) { Set-ItResult -Skipped -Because $skip } }

    function script:Invoke-Reader([string] $Line) {
        $argv = @('--reuid=65534', '--regid=65534', '--clear-groups', '--') + $prefix + @('/bin/sh', '-c', $Line)
        $output = & $setpriv @argv 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join "`n") }
    }

    It 'the plan limits reads' {
        $plan.Arguments | Should -Contain '--read-limit'
        $plan.Enforced | Where-Object { $_ -like 'read-limit:*' } | Should -Not -BeNullOrEmpty
    }

    It 'starts /bin/sh and reads a file inside the workspace' {
        $r = Invoke-Reader "id -u; cat '$ws/inside'"
        $r.ExitCode | Should -Be 0 -Because $r.Output
        $r.Output | Should -Match '65534'
        $r.Output | Should -MatchExactly 'INSIDE'
    }

    It 'cannot cat a file the user owns outside the workspace' {
        $r = Invoke-Reader "cat '$out/target'"
        $r.ExitCode | Should -Not -Be 0
        $r.Output | Should -Not -MatchExactly 'OUTSIDE'
    }

    It 'cannot list a folder the user owns outside the workspace' {
        $r = Invoke-Reader "ls '$out'"
        $r.ExitCode | Should -Not -Be 0
        $r.Output | Should -Not -Match 'target'
    }
}
