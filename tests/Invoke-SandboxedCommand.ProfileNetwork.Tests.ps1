# A permission profile's [network] table end to end: limited mode and domain rules through the real proxy, and
# unix_sockets tried for real from inside the sandbox (both Linux layers, as root and as an unprivileged user).
BeforeDiscovery {
    $script:layers = @(@{ Layer = 'bwrap' }, @{ Layer = 'launcher' })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'Escape/EscapeHelpers.ps1')
    $script:t = New-TestCodexHome
    $script:py = Get-RealPython
    $script:cap = Get-SandboxCapability
    $script:setpriv = (Get-Command setpriv -ErrorAction Ignore).Source
    $script:canDrop = $setpriv -and ((& id -u) -eq '0')

    function script:Write-Profile([string] $Path, [string] $Network, [string] $Namespaces = 'auto') {
        Set-Content $Path @"
default_permissions = "net"
[permissions.net]
extends = ":workspace"
[sandbox_linux]
namespaces = "$Namespaces"
[sandbox_rollback]
checkpoint = "never"
$Network
"@
    }
}
AfterAll { Remove-Item -Recurse -Force $t.Root -ErrorAction SilentlyContinue }

Describe 'A profile''s network table through the proxy' {
    BeforeAll {
        $script:ws = (New-Item -ItemType Directory -Force (Join-Path $t.Root 'ws')).FullName
        $site = (New-Item -ItemType Directory -Force (Join-Path $t.Root 'site')).FullName
        Set-Content (Join-Path $site 'index.html') 'hello from the allowed host'
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $listener.Start()
        $script:port = $listener.LocalEndpoint.Port; $listener.Stop()
        if ($py) {
            $script:server = Start-Process -FilePath $py -ArgumentList '-m', 'http.server', $port, '--bind', '127.0.0.1', '--directory', $site -PassThru -RedirectStandardError (Join-Path $t.Root 'server.err') -RedirectStandardOutput (Join-Path $t.Root 'server.out')
            foreach ($i in 1..50) { try { $c = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $port); $c.Dispose(); break } catch { Start-Sleep -Milliseconds 100 } }
        }
        $script:limited = Join-Path $t.Root 'limited.toml'
        Write-Profile $limited @'
[permissions.net.network]
enabled = true
mode = "limited"
[permissions.net.network.domains]
"localhost" = "allow"
'@
        $script:domains = Join-Path $t.Root 'domains.toml'
        Write-Profile $domains @'
[permissions.net.network]
enabled = true
[permissions.net.network.domains]
"localhost" = "allow"
"127.0.0.3" = "deny"
[sandbox_network]
mode = "on"
'@
    }
    AfterAll { if ($server) { $server.Kill() } }
    BeforeEach {
        if (-not $py) { Set-ItResult -Skipped -Because 'python3 is needed for the local HTTP server' }
        if ($cap.LandlockAbi -lt 4) { Set-ItResult -Skipped -Because "Landlock ABI $($cap.LandlockAbi) has no TCP rules; allowlist mode is refused" }
    }

    It 'limited mode: a GET through the proxy works' {
        $r = Invoke-SandboxedCommand -ConfigPath $limited -WorkingDirectory $ws -WarningAction SilentlyContinue -TimeoutSec 30 -- curl -s -S "http://localhost:$port/index.html"
        $r.ExitCode | Should -Be 0 -Because $r.Stderr
        $r.Stdout | Should -Match 'hello from the allowed host'
        $r.Network | Should -Be 'Allowlist'
    }

    It 'limited mode: a POST is refused by the proxy, and the refusal is audited' {
        $r = Invoke-SandboxedCommand -ConfigPath $limited -WorkingDirectory $ws -WarningAction SilentlyContinue -TimeoutSec 30 -Force -- curl -s -i -X POST -d 'x=1' "http://localhost:$port/index.html"
        $r.Stdout | Should -Match 'HTTP/1.1 403'
        $r.Stdout | Should -Match 'X-Proxy-Error: blocked-by-method-policy'
        $r.Stdout | Should -Match 'allows only GET, HEAD and OPTIONS, not POST'
        $decision = Get-SandboxAudit -EventType NetworkDecision | Where-Object RelatedId -EQ $r.AuditId
        $decision.Decision | Should -Be 'Block'
        $decision.Reason | Should -Be 'blocked-by-method-policy'
    }

    It 'limited mode: a CONNECT tunnel (what HTTPS needs) is refused with the reason' {
        $r = Invoke-SandboxedCommand -ConfigPath $limited -WorkingDirectory $ws -WarningAction SilentlyContinue -TimeoutSec 30 -- curl -s -S -v -p "http://localhost:$port/index.html"
        $r.ExitCode | Should -Not -Be 0
        $r.Stdout | Should -Not -Match 'hello from the allowed host'
        $r.Stderr | Should -Match '403'
        (Get-SandboxAudit -EventType NetworkDecision | Where-Object RelatedId -EQ $r.AuditId).Reason | Should -Be 'blocked-by-mitm-required'
    }

    It 'domains: an allowed host is reached, an unlisted or denied one is refused; [sandbox_network] is overruled' {
        $ok = Invoke-SandboxedCommand -ConfigPath $domains -WorkingDirectory $ws -WarningAction SilentlyContinue -TimeoutSec 30 -- curl -s -S "http://localhost:$port/index.html"
        $ok.Stdout | Should -Match 'hello from the allowed host' -Because $ok.Stderr
        $other = Invoke-SandboxedCommand -ConfigPath $domains -WorkingDirectory $ws -WarningAction SilentlyContinue -TimeoutSec 30 -- curl -s -i "http://127.0.0.2:$port/index.html"
        $other.Stdout | Should -Match 'X-Proxy-Error: blocked-by-allowlist'
        $denied = Invoke-SandboxedCommand -ConfigPath $domains -WorkingDirectory $ws -WarningAction SilentlyContinue -TimeoutSec 30 -- curl -s -i "http://127.0.0.3:$port/index.html"
        $denied.Stdout | Should -Match 'X-Proxy-Error: blocked-by-denylist'
        $direct = Invoke-SandboxedCommand -ConfigPath $domains -WorkingDirectory $ws -WarningAction SilentlyContinue -TimeoutSec 30 -- curl -s -S --noproxy '*' "http://127.0.0.1:$port/index.html"
        $direct.Stdout | Should -Not -Match 'hello'
    }

    It 'Get-SandboxPolicy shows each network setting with its file and line, and warns about [sandbox_network]' {
        $p = Get-SandboxPolicy -ConfigPath $domains -WorkingDirectory $ws -WarningVariable w -WarningAction SilentlyContinue
        $p.NetworkMode | Should -Be 'Allowlist'
        $p.AllowedDomains | Should -Be @('localhost')
        $p.DeniedDomains | Should -Be @('127.0.0.3')
        $entry = $p.Provenance | Where-Object Setting -EQ 'permissions.net.network.domains."127.0.0.3"'
        "$($entry.File):$($entry.Line)" | Should -Be "$($domains):12"
        ($w -join "`n") | Should -Match '\[sandbox_network\] .* is ignored: permission profile `net` has its own network table'
    }
}

Describe 'unix_sockets with the <Layer> layer' -ForEach $layers {
    BeforeAll {
        $script:skip = if ($why = Get-LayerSkipReason $Layer $cap) { $why } elseif (-not $py) { 'python3 is not installed' }
        if (-not $skip) {
            $id = [guid]::NewGuid().ToString('n').Substring(0, 8)
            $script:root = Join-Path (Get-TestBase) "cxsb-sock-$id"
            $script:ws = (New-Item -ItemType Directory -Force (Join-Path $root 'ws')).FullName
            $out = (New-Item -ItemType Directory -Force (Join-Path $root 'outside')).FullName
            & chmod 755 $root $out $ws
            # existing protected folders: the launch plan then binds them instead of creating them, which uid 65534 could not
            foreach ($name in '.git', '.codex', '.agents') { $null = New-Item -ItemType Directory -Force (Join-Path $ws $name) }
            $script:paths = [ordered]@{
                allowed = Join-Path $out 'allowed.sock'
                denied = Join-Path $out 'denied.sock'
                unlisted = Join-Path $out 'unlisted.sock'
                runAllowed = "/run/cxsb-$id-allowed.sock"
                runUnlisted = "/run/cxsb-$id-unlisted.sock"
            }
            $script:servers = foreach ($p in $paths.Values) {
                $s = [System.Net.Sockets.Socket]::new('Unix', 'Stream', 'Unspecified')
                $s.Bind([System.Net.Sockets.UnixDomainSocketEndPoint]::new($p)); $s.Listen(16)
                & chmod 666 $p    # so that only the sandbox, not file permissions, stops uid 65534
                $s
            }
            $script:cfg = Join-Path $root 'config.toml'
            Write-Profile $cfg @"
[permissions.net.network.unix_sockets]
"$($paths.allowed)" = "allow"
"$($paths.runAllowed)" = "allow"
"$($paths.denied)" = "deny"
"@ -Namespaces $(if ($Layer -eq 'bwrap') { 'required' } else { 'off' })
            # One python run tries every socket and prints "name ok" or "name <errno name>".
            $checks = ($paths.GetEnumerator() | ForEach-Object { "('$($_.Key)', '$($_.Value)')" }) -join ', '
            $script:probe = "import errno, socket`nfor name, path in ($checks,):`n    s = socket.socket(socket.AF_UNIX)`n    try:`n        s.connect(path); print(name, 'ok')`n    except OSError as e:`n        print(name, errno.errorcode.get(e.errno, e.errno))`n    finally:`n        s.close()"
        }
    }
    AfterAll {
        foreach ($s in $servers) { $s.Dispose() }
        if ($paths) { foreach ($p in $paths.Values) { Remove-Item -Force $p -ErrorAction SilentlyContinue } }
        if ($root) { Remove-Item -Recurse -Force $root -ErrorAction SilentlyContinue }
    }
    BeforeEach { if ($skip) { Set-ItResult -Skipped -Because $skip } }

    function script:Results([string] $Text) {
        $map = @{}
        foreach ($line in ($Text -split "`n")) { if ($line -match '^(\w+) (\S+)$') { $map[$Matches[1]] = $Matches[2] } }
        $map
    }

    It 'as root: only the allowed sockets answer, the denied and unlisted ones cannot be reached' {
        $r = Invoke-SandboxedCommand -ConfigPath $cfg -WorkingDirectory $ws -WarningAction SilentlyContinue -TimeoutSec 60 -Force -- $py -c $probe
        $got = Results $r.Stdout
        $got.Count | Should -Be 5 -Because "$($r.Stdout) $($r.Stderr)"
        foreach ($name in 'denied', 'unlisted', 'runUnlisted') { $got[$name] | Should -Not -Be 'ok' -Because "$name must stay unreachable ($($r.Stdout))" }
        if ($Layer -eq 'bwrap') {
            $got['allowed'] | Should -Be 'ok' -Because $r.Stdout
            $got['runAllowed'] | Should -Be 'ok' -Because "an allowed socket in a hidden folder is bound back ($($r.Stdout))"
            ($r.Enforcement -join "`n") | Should -Match 'unix-socket-allowlist'
        }
        else {
            $got['allowed'] | Should -Not -Be 'ok'
            ($r.NotEnforced -join "`n") | Should -Match 'unix-socket-allowlist: .* cannot be reached: without the namespace layer'
        }
    }

    It 'as an unprivileged user: the same, through the module''s own launch plan' {
        if (-not $canDrop) { Set-ItResult -Skipped -Because 'creating an unprivileged process needs root and setpriv (util-linux)' }
        $plan = (Get-SandboxPolicy -TargetPlatform Linux -ConfigPath $cfg -WorkingDirectory $ws -WarningAction SilentlyContinue).LaunchPlan
        if ($plan.EnvironmentChanges['TMPDIR']) {
            $null = New-Item -ItemType Directory -Force $plan.EnvironmentChanges['TMPDIR']; & chown 65534:65534 $plan.EnvironmentChanges['TMPDIR']
        }
        # an interpreter uid 65534 may run (a pyenv one lives in root's home)
        $python = @('/usr/bin/python3', '/usr/local/bin/python3', $py) | Where-Object { $_ -and $(& $setpriv --reuid=65534 --regid=65534 --clear-groups -- test -x $_; $LASTEXITCODE -eq 0) } | Select-Object -First 1
        if (-not $python) { Set-ItResult -Skipped -Because 'no python3 that uid 65534 can run'; return }
        $argv = @('--reuid=65534', '--regid=65534', '--clear-groups', '--', $plan.Program) + @($plan.Arguments | Select-Object -SkipLast 1) + @($python, '-c', $probe)
        $output = (& $setpriv @argv 2>&1) -join "`n"
        $got = Results $output
        $got.Count | Should -Be 5 -Because $output
        foreach ($name in 'denied', 'unlisted', 'runUnlisted') { $got[$name] | Should -Not -Be 'ok' -Because "$name must stay unreachable ($output)" }
        if ($Layer -eq 'bwrap') {
            $got['allowed'] | Should -Be 'ok' -Because $output
            $got['runAllowed'] | Should -Be 'ok' -Because $output
        }
        else { $got['allowed'] | Should -Not -Be 'ok' }
    }

    It 'without the profile''s unix_sockets the same sockets stay closed (the network is off)' {
        $plain = Join-Path $root 'plain.toml'
        Write-Profile $plain '' -Namespaces $(if ($Layer -eq 'bwrap') { 'required' } else { 'off' })
        $r = Invoke-SandboxedCommand -ConfigPath $plain -WorkingDirectory $ws -WarningAction SilentlyContinue -TimeoutSec 60 -Force -- $py -c $probe
        $got = Results $r.Stdout
        $got.Count | Should -Be 5 -Because "$($r.Stdout) $($r.Stderr)"
        $got.Values | Should -Not -Contain 'ok'
    }
}
