# Allowlist network mode end to end: a real loopback HTTP server, the per-run proxy, and Landlock's port rules.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'Escape/EscapeHelpers.ps1')
    $script:t = New-TestCodexHome
    $script:py = Get-RealPython
    $script:cap = Get-SandboxCapability
    $script:ws = (New-Item -ItemType Directory -Force (Join-Path $t.Root 'ws')).FullName
    $script:site = (New-Item -ItemType Directory -Force (Join-Path $t.Root 'site')).FullName
    Set-Content (Join-Path $site 'index.html') 'hello from the allowed host'
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $listener.Start()
    $script:port = $listener.LocalEndpoint.Port; $listener.Stop()
    if ($py) {
        $script:server = Start-Process -FilePath $py -ArgumentList '-m', 'http.server', $port, '--bind', '127.0.0.1', '--directory', $site -PassThru -RedirectStandardError (Join-Path $t.Root 'server.err') -RedirectStandardOutput (Join-Path $t.Root 'server.out')
        foreach ($i in 1..50) { try { $c = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $port); $c.Dispose(); break } catch { Start-Sleep -Milliseconds 100 } }
    }
    $script:cfg = Join-Path $t.Root 'config.toml'
    Set-Content $cfg @"
[sandbox_workspace_write]
exclude_slash_tmp = true
exclude_tmpdir_env_var = true
[sandbox_network]
mode = "allowlist"
allowed_domains = ["localhost"]
"@
    $script:common = @{ ConfigPath = $cfg; WorkingDirectory = $ws; WarningAction = 'SilentlyContinue'; TimeoutSec = 30 }
}
AfterAll {
    if ($server) { $server.Kill() }
    Remove-Item -Recurse -Force $t.Root -ErrorAction SilentlyContinue
}

Describe 'Network allowlist mode' {
    BeforeEach {
        if (-not $py) { Set-ItResult -Skipped -Because 'python3 is needed for the local HTTP server' }
        if ($cap.LandlockAbi -lt 4) { Set-ItResult -Skipped -Because "Landlock ABI $($cap.LandlockAbi) has no TCP rules; allowlist mode is refused (tested below)" }
    }

    It 'reaches an allowed host through the proxy' {
        $r = Invoke-SandboxedCommand @common -- curl -s -S "http://localhost:$port/index.html"
        $r.ExitCode | Should -Be 0 -Because $r.Stderr
        $r.Stdout | Should -Match 'hello from the allowed host'
        ($r.Enforcement -join "`n") | Should -Match 'network-allowlist'
    }

    It 'answers 403 naming the rule for a host that is not allowed' {
        $r = Invoke-SandboxedCommand @common -- curl -s -i "http://127.0.0.2:$port/index.html"
        $r.Stdout | Should -Match 'HTTP/1.1 403'
        $r.Stdout | Should -Match 'X-Proxy-Error: blocked-by-allowlist'
        $r.Stdout | Should -Not -Match 'hello from the allowed host'
        $other = Invoke-SandboxedCommand @common -- curl -s -i 'http://example.test/'
        $other.Stdout | Should -Match '403'
    }

    It 'refuses a direct connection that bypasses the proxy' {
        $r = Invoke-SandboxedCommand @common -- curl -s -S --noproxy '*' "http://127.0.0.1:$port/index.html"
        $r.ExitCode | Should -Not -Be 0
        $r.Stdout | Should -Not -Match 'hello'
    }

    It 'refuses UDP in allowlist mode' {
        $r = Invoke-SandboxedCommand @common -- $py -c 'import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM); print("udp")'
        $r.Stdout | Should -Not -Match 'udp'
    }

    It 'records every proxy decision in the audit log, linked to the command' {
        $r = Invoke-SandboxedCommand @common -- curl -s -o /dev/null "http://localhost:$port/" "http://127.0.0.2:$port/"
        $decisions = Get-SandboxAudit -EventType NetworkDecision | Where-Object RelatedId -EQ $r.AuditId
        $decisions.Decision | Should -Contain 'Allow'
        $decisions.Decision | Should -Contain 'Block'
        ($decisions | Where-Object Decision -EQ Block).Reason | Should -Be 'blocked-by-allowlist'
    }
}

Describe 'The plan of an allowlist run names the proxy it binds' {
    BeforeEach {
        if ($cap.LandlockAbi -lt 4) { Set-ItResult -Skipped -Because "Landlock ABI $($cap.LandlockAbi) has no TCP rules; allowlist mode is refused" }
    }

    It 'shows the proxy ports with -Verbose, and the command and the launcher get those ports' {
        $out = Invoke-SandboxedCommand @common -Verbose -Command 'echo "$HTTP_PROXY $ALL_PROXY"' 4>&1
        $r = $out | Where-Object { $_ -is [CodexSandbox.SandboxResult] }
        $verbose = ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) -join "`n"
        $m = [regex]::Match($verbose, 'proxy: 127\.0\.0\.1 port (\d+) \(HTTP\) and (\d+) \(SOCKS5\)')
        $m.Success | Should -BeTrue -Because $verbose
        $http, $socks = $m.Groups[1].Value, $m.Groups[2].Value
        $r.Stdout.Trim() | Should -Be "http://127.0.0.1:$http socks5h://127.0.0.1:$socks"
        $verbose | Should -Match "argv: .* --allow-tcp-connect $http "
        $verbose | Should -Match "argv: .* --allow-tcp-connect $socks "
        $r.LaunchPlan.Proxy.HttpPort | Should -Be $http
        $r.LaunchPlan.Proxy.SocksPort | Should -Be $socks
    }

    It 'shows the proxy ports with -WhatIf, and runs nothing' {
        $module = (Get-Module CodexSandbox).Path -replace '\.dll$', '.psd1'
        $marker = Join-Path $ws 'whatif-allowlist'
        $out = Invoke-TestPwsh ("Import-Module '$module'; `$env:CODEX_HOME = '$($t.CodexHome)'; `$env:CODEXSANDBOX_SYSTEM_CONFIG_DIR = '$($t.System)'; " +
            "Invoke-SandboxedCommand -WhatIf -ConfigPath '$cfg' -WorkingDirectory '$ws' -Command 'touch $marker'")
        $text = $out -join "`n"
        $text | Should -Match "What if: Run 'touch $([regex]::Escape($marker))' with backend linux-"
        $m = [regex]::Match($text, 'proxy: 127\.0\.0\.1 port (\d+) \(HTTP\) and (\d+) \(SOCKS5\)')
        $m.Success | Should -BeTrue -Because $text
        $http = $m.Groups[1].Value
        $text | Should -Match "argv: .* --allow-tcp-connect $http "
        $text | Should -Match "environment: .*HTTP_PROXY=http://127\.0\.0\.1:$http"
        Test-Path $marker | Should -BeFalse
    }
}
