BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    # The loopback OTLP receiver the engine tests use (no OpenTelemetry collector is available here).
    if (-not ('CodexSandbox.Tests.Fleet.OtlpTestReceiver' -as [type])) { Add-Type -Path (Join-Path $PSScriptRoot 'Fleet/OtlpTestReceiver.cs') }

    $script:rsyslogd = (Get-Command rsyslogd -ErrorAction SilentlyContinue).Source
    if (-not $rsyslogd -and (Test-Path /usr/sbin/rsyslogd)) { $script:rsyslogd = '/usr/sbin/rsyslogd' }
    $script:imrelp = Get-ChildItem /usr/lib/*/rsyslog/imrelp.so, /usr/lib/rsyslog/imrelp.so -ErrorAction SilentlyContinue | Select-Object -First 1
    $script:skipReason = if (-not $rsyslogd) { 'rsyslogd is not installed (apt-get install rsyslog rsyslog-relp; .ci/run does)' }
        elseif (-not $imrelp) { 'rsyslog has no imrelp module (apt-get install rsyslog-relp; .ci/run does)' }
    # Syslog over TLS: rsyslog's GnuTLS stream driver, and openssl for a throwaway CA and server certificate.
    $gtls = Get-ChildItem /usr/lib/*/rsyslog/lmnsd_gtls.so, /usr/lib/rsyslog/lmnsd_gtls.so -ErrorAction SilentlyContinue | Select-Object -First 1
    $openssl = (Get-Command openssl -ErrorAction SilentlyContinue).Source
    $script:tlsSkipReason = if ($skipReason) { $skipReason }
        elseif (-not $gtls) { 'rsyslog has no TLS stream driver (apt-get install rsyslog-gnutls; .ci/run does)' }
        elseif (-not $openssl) { 'openssl is not installed (it makes the test CA)' }

    # A CA, a server certificate it signed for localhost and 127.0.0.1, and a second CA that signed nothing here.
    function New-TestCertificates {
        param([string] $Dir)
        $null = New-Item -ItemType Directory -Force $Dir
        $c = [pscustomobject]@{ Ca = "$Dir/ca.pem"; OtherCa = "$Dir/other-ca.pem"; Cert = "$Dir/server.pem"; Key = "$Dir/server.key" }
        "subjectAltName=DNS:localhost,IP:127.0.0.1`nextendedKeyUsage=serverAuth" | Set-Content "$Dir/server.ext"
        $steps = @(
            @('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', "$Dir/ca.key", '-out', $c.Ca, '-days', '2', '-subj', '/CN=CodexSandbox fleet test CA'),
            @('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', "$Dir/other-ca.key", '-out', $c.OtherCa, '-days', '2', '-subj', '/CN=Some other CA'),
            @('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', $c.Key, '-out', "$Dir/server.csr", '-subj', '/CN=localhost'),
            @('x509', '-req', '-in', "$Dir/server.csr", '-CA', $c.Ca, '-CAkey', "$Dir/ca.key", '-CAcreateserial', '-out', $c.Cert, '-days', '2', '-extfile', "$Dir/server.ext"))
        foreach ($step in $steps) {
            $out = & $openssl @step 2>&1
            if ($LASTEXITCODE -ne 0) { throw "openssl $($step[0]) failed: $out" }
        }
        $c
    }
    $script:certs = if (-not $tlsSkipReason) { New-TestCertificates (Join-Path ([IO.Path]::GetTempPath()) "cxsb-fleet-tls-$([guid]::NewGuid().ToString('n').Substring(0, 10))") }

    function Get-FreePort {
        $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $l.Start(); $port = $l.LocalEndpoint.Port; $l.Stop(); $port
    }

    # A real rsyslogd with a private config and working folder: imrelp, imtcp (plain, and TLS when the GnuTLS driver is
    # there) and imudp on loopback ports, every message written raw to one file.
    function New-TestRsyslog {
        param([string] $Root)
        $dir = New-Item -ItemType Directory -Force (Join-Path $Root 'rsyslog')
        $null = New-Item -ItemType Directory -Force (Join-Path $dir 'work')
        $s = [pscustomobject]@{ Dir = $dir.FullName; Relp = Get-FreePort; Tcp = Get-FreePort; Tls = Get-FreePort; Udp = Get-FreePort; Out = Join-Path $dir 'received.log'; Process = $null }
        $tlsInput = if ($certs) {
            "input(type=`"imtcp`" port=`"$($s.Tls)`" address=`"127.0.0.1`" streamDriver.name=`"gtls`" streamDriver.mode=`"1`" streamDriver.authMode=`"anon`" " +
            "streamDriver.CAFile=`"$($certs.Ca)`" streamDriver.CertFile=`"$($certs.Cert)`" streamDriver.KeyFile=`"$($certs.Key)`")"
        }
        @"
global(workDirectory="$($s.Dir)/work")
module(load="imrelp")
module(load="imtcp")
module(load="imudp")
input(type="imrelp" port="$($s.Relp)" address="127.0.0.1")
input(type="imtcp" port="$($s.Tcp)" address="127.0.0.1")
$tlsInput
input(type="imudp" port="$($s.Udp)" address="127.0.0.1")
template(name="raw" type="string" string="%rawmsg%\n")
*.* action(type="omfile" file="$($s.Out)" template="raw")
"@ | Set-Content (Join-Path $s.Dir 'rsyslog.conf')
        $s
    }

    function Start-TestRsyslog {
        param($Rsyslog)
        $Rsyslog.Process = Start-Process $rsyslogd -ArgumentList '-n', '-f', (Join-Path $Rsyslog.Dir 'rsyslog.conf'), '-i', (Join-Path $Rsyslog.Dir 'rsyslogd.pid') -PassThru `
            -RedirectStandardError (Join-Path $Rsyslog.Dir 'stderr.log') -RedirectStandardOutput (Join-Path $Rsyslog.Dir 'stdout.log')
        # Ready when every TCP input takes connections (the TLS input starts last: GnuTLS loads its certificates first).
        $deadline = [DateTime]::UtcNow.AddSeconds(20)
        $waiting = [System.Collections.Generic.List[int]]@($Rsyslog.Relp, $Rsyslog.Tcp)
        if ($certs) { $waiting.Add($Rsyslog.Tls) }
        while ([DateTime]::UtcNow -lt $deadline) {
            try { $c = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $waiting[0]); $c.Dispose(); $waiting.RemoveAt(0); if ($waiting.Count -eq 0) { return } }
            catch { Start-Sleep -Milliseconds 50 }
        }
        throw "rsyslogd did not start: $(Get-Content -Raw (Join-Path $Rsyslog.Dir 'stderr.log') -ErrorAction SilentlyContinue)"
    }

    function Stop-TestRsyslog {
        param($Rsyslog)
        if ($Rsyslog.Process -and -not $Rsyslog.Process.HasExited) {
            & kill -TERM $Rsyslog.Process.Id
            $null = $Rsyslog.Process.WaitForExit(10000)
        }
    }

    # The audit seqs rsyslog wrote, in arrival order (waits until at least $Count arrived, or 10 s).
    function Get-ReceivedSeq {
        param($Rsyslog, [int] $Count)
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        do {
            $seqs = @(if (Test-Path $Rsyslog.Out) { Get-Content $Rsyslog.Out | ForEach-Object { if ($_ -match '\[codexSandbox@32473 seq="(\d+)"') { [long]$Matches[1] } } })
            if ($seqs.Count -ge $Count) { break }
            Start-Sleep -Milliseconds 100
        } while ([DateTime]::UtcNow -lt $deadline)
        , $seqs
    }

    function Get-OtlpSeq {
        param($Receiver, [int] $Count)
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while ($Receiver.Logs.Count -lt $Count -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
        , @($Receiver.Snapshot() | ForEach-Object Seq)
    }

    $script:common = @{ SandboxMode = 'WorkspaceWrite' }
}

AfterAll {
    if ($certs) { Remove-Item -Recurse -Force (Split-Path $certs.Ca) -ErrorAction SilentlyContinue }
}

Describe 'Audit export to rsyslog and an OpenTelemetry collector' {
    BeforeEach {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason; return }
        $script:world = New-TestCodexHome
        $script:work = New-Item -ItemType Directory -Force (Join-Path $world.Root 'work')
        $script:rsyslog = New-TestRsyslog -Root $world.Root
        Start-TestRsyslog $rsyslog
    }
    AfterEach {
        if ($skipReason) { return }
        Stop-TestRsyslog $rsyslog
        if ($script:otlp) { $otlp.Dispose(); $script:otlp = $null }
        Remove-Item Env:CODEX_HOME, Env:CODEXSANDBOX_SYSTEM_CONFIG_DIR -ErrorAction SilentlyContinue
    }

    It 'delivers a session of runs, approvals and denials to both, once each, across an outage, as Get-SandboxAudit -Verify has it' {
        $script:otlp = [CodexSandbox.Tests.Fleet.OtlpTestReceiver]::new()
        $otlpPort = $otlp.Port
        # The administrator's layer switches export on; the user adds nothing.
        @"
[otel]
environment = "fleet-test"
exporter = { otlp-http = { endpoint = "$($otlp.HttpEndpoint)", protocol = "binary" } }

[sandbox_audit]
syslog = { transport = "relp", address = "127.0.0.1:$($rsyslog.Relp)" }
export_timeout_sec = 3
"@ | Set-Content (Join-Path $world.System 'config.toml')
        @'
prefix_rule(pattern = ["git", "push"], decision = "forbidden")
'@ | Set-Content (Join-Path (New-Item -ItemType Directory -Force (Join-Path $world.CodexHome 'rules')).FullName 'fleet.rules')

        Push-Location $work
        try {
            $null = Invoke-SandboxedCommand @common -Command 'echo one'
            $null = Invoke-SandboxedCommand @common -ApprovalPolicy Untrusted -Force -- touch ./approved
            # A command that needs an approval this session cannot give stops the script (issue 17): caught here, recorded as denied.
            try { Invoke-SandboxedCommand @common -ApprovalPolicy Untrusted -ErrorAction SilentlyContinue -- touch ./refused } catch { }
            Invoke-SandboxedCommand @common -ErrorAction SilentlyContinue -Command 'git push origin main'
            $null = Invoke-SandboxedCommand @common -Command 'exit 3'
            Sync-SandboxAudit | ForEach-Object Succeeded | Should -Be @($true, $true)

            $log = @(Get-SandboxAudit)
            $events = $log.EventType | Sort-Object -Unique
            $events | Should -Contain 'ApprovalGranted'
            $events | Should -Contain 'ApprovalDenied'
            $events | Should -Contain 'CommandBlocked'
            (Get-ReceivedSeq $rsyslog $log.Count) | Should -Be $log.Seq
            (Get-OtlpSeq $otlp $log.Count) | Should -Be $log.Seq
            ($otlp.Snapshot() | Where-Object EventName -eq 'codex.tool_decision').Count | Should -Be 3

            # Outage: both receivers go away, 20 commands run (and finish), both come back.
            Stop-TestRsyslog $rsyslog
            $otlp.Dispose()
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $runs = 1..20 | ForEach-Object { Invoke-SandboxedCommand @common -Command "echo outage $_" -WarningVariable +warned -WarningAction SilentlyContinue }
            $runs.ExitCode | Should -Be (@(0) * 20)
            $down = Sync-SandboxAudit -TimeoutSec 5 -ErrorAction SilentlyContinue -ErrorVariable syncErrors
            $down.Succeeded | Should -Be @($false, $false)
            $down.Pending | Should -Be @(20, 20)
            $syncErrors.Count | Should -Be 2
            # One warning per sink for the whole outage, not one per run.
            @($warned | Where-Object { "$_" -like 'Audit export to*' }).Count | Should -BeLessOrEqual 2

            Start-TestRsyslog $rsyslog
            $script:otlp = [CodexSandbox.Tests.Fleet.OtlpTestReceiver]::new($otlpPort)
            $back = Sync-SandboxAudit
            $back.Succeeded | Should -Be @($true, $true)
            $back.Pending | Should -Be @(0, 0)

            $all = @(Get-SandboxAudit)
            $outage = $all | Select-Object -Last 20
            (Get-ReceivedSeq $rsyslog $all.Count) | Should -Be $all.Seq
            (Get-OtlpSeq $otlp 20) | Should -Be $outage.Seq
            $verify = Get-SandboxAudit -Verify
            $verify.Intact | Should -BeTrue
            $verify.RecordsChecked | Should -Be $all.Count
            # What arrived is what the chain holds: the hashes match record by record.
            $received = Get-Content $rsyslog.Out | ForEach-Object { if ($_ -match 'seq="(\d+)" id="[0-9a-f]+" hash="([0-9a-f]{64})"') { "$($Matches[1]):$($Matches[2])" } }
            $received | Should -Be ($all | ForEach-Object { "$($_.Seq):$($_.Hash)" })
        }
        finally { Pop-Location }
    }

    It 'over <Transport> sends every record once and in order, including those written while rsyslogd was stopped' -ForEach @(@{ Transport = 'tcp' }, @{ Transport = 'relp' }, @{ Transport = 'tls' }) {
        if ($Transport -eq 'tls' -and $tlsSkipReason) { Set-ItResult -Skipped -Because $tlsSkipReason; return }
        $port = @{ tcp = $rsyslog.Tcp; relp = $rsyslog.Relp; tls = $rsyslog.Tls }[$Transport]
        # TLS trusts only the test CA, and checks the server certificate carries the name asked for.
        $tls = if ($Transport -eq 'tls') { ", ca_certificate = `"$($certs.Ca)`", server_name = `"localhost`"" }
        "[sandbox_audit]`nsyslog = { transport = `"$Transport`", address = `"127.0.0.1:$port`"$tls }`nexport_timeout_sec = 3`n" | Set-Content (Join-Path $world.CodexHome 'config.toml')
        Push-Location $work
        try {
            1..3 | ForEach-Object { $null = Invoke-SandboxedCommand @common -Command "echo before $_" }
            (Sync-SandboxAudit).Succeeded | Should -BeTrue
            Stop-TestRsyslog $rsyslog
            1..20 | ForEach-Object { $null = Invoke-SandboxedCommand @common -Command "echo during $_" -WarningAction SilentlyContinue }
            (Sync-SandboxAudit -TimeoutSec 5 -ErrorAction SilentlyContinue).Pending | Should -Be 20
            Start-TestRsyslog $rsyslog
            (Sync-SandboxAudit).Succeeded | Should -BeTrue
            $all = @(Get-SandboxAudit)
            $all.Count | Should -Be 23
            (Get-ReceivedSeq $rsyslog 23) | Should -Be $all.Seq
        }
        finally { Pop-Location }
    }

    It 'over tls refuses a server whose certificate <Case>: nothing is delivered, the cursor stays, one warning' -ForEach @(
        @{ Case = 'the configured CA did not sign'; Trust = 'OtherCa'; Name = 'localhost' },
        @{ Case = 'names another server'; Trust = 'Ca'; Name = 'syslog.example.com' }) {
        if ($tlsSkipReason) { Set-ItResult -Skipped -Because $tlsSkipReason; return }
        "[sandbox_audit]`nsyslog = { transport = `"tls`", address = `"127.0.0.1:$($rsyslog.Tls)`", ca_certificate = `"$($certs.$Trust)`", server_name = `"$Name`" }`nexport_timeout_sec = 3`n" |
            Set-Content (Join-Path $world.CodexHome 'config.toml')
        Push-Location $work
        try {
            $runs = 1..3 | ForEach-Object { Invoke-SandboxedCommand @common -Command "echo refused $_" -WarningVariable +warned -WarningAction SilentlyContinue }
            $runs.ExitCode | Should -Be @(0, 0, 0)
            $null = Sync-SandboxAudit -TimeoutSec 5 -ErrorAction SilentlyContinue
            # The failure is certain by now; the next run shows its warning if none of the first three did.
            $null = Invoke-SandboxedCommand @common -Command 'echo refused 4' -WarningVariable +warned -WarningAction SilentlyContinue
            @($warned | Where-Object { "$_" -like 'Audit export to syslog-tls*TLS*' }).Count | Should -Be 1

            $result = Sync-SandboxAudit -TimeoutSec 5 -ErrorAction SilentlyContinue -ErrorVariable syncErrors
            $result.Succeeded | Should -BeFalse
            $result.Error | Should -BeLike 'TLS: *'
            $syncErrors.Count | Should -Be 1
            $result.DeliveredSeq | Should -Be 0
            $result.Pending | Should -Be 4
            (Get-Content -Raw $result.CursorPath | ConvertFrom-Json).seq | Should -Be 0
            @(if (Test-Path $rsyslog.Out) { Select-String -Path $rsyslog.Out -Pattern 'codexSandbox@32473' }).Count | Should -Be 0
        }
        finally { Pop-Location }
    }

    It 'over udp delivers while rsyslogd listens (UDP is documented as lossy)' {
        "[sandbox_audit]`nsyslog = { transport = `"udp`", address = `"127.0.0.1:$($rsyslog.Udp)`", facility = `"local3`" }`n" | Set-Content (Join-Path $world.CodexHome 'config.toml')
        Push-Location $work
        try {
            1..3 | ForEach-Object { $null = Invoke-SandboxedCommand @common -Command "echo udp $_" }
            (Sync-SandboxAudit).Succeeded | Should -BeTrue
            $all = @(Get-SandboxAudit)
            (Get-ReceivedSeq $rsyslog 3) | Should -Be $all.Seq
            # local3 (19) * 8 + info (6)
            (Get-Content $rsyslog.Out)[0] | Should -BeLike '<158>1 *'
        }
        finally { Pop-Location }
    }

    It 'backfills a chosen range with Export-SandboxAudit at the end of a pipeline' {
        Push-Location $work
        try {
            1..5 | ForEach-Object { $null = Invoke-SandboxedCommand @common -Command "echo history $_" }
            $script:otlp = [CodexSandbox.Tests.Fleet.OtlpTestReceiver]::new()
            $range = Get-SandboxAudit | Where-Object Seq -ge 2
            $result = $range | Export-SandboxAudit -Otlp $otlp.HttpEndpoint -DeploymentEnvironment backfill
            $result.Sent | Should -Be 4
            $result.Succeeded | Should -BeTrue
            (Get-OtlpSeq $otlp 4) | Should -Be @(2, 3, 4, 5)
            ($otlp.Snapshot()[0].Resource['deployment.environment.name']) | Should -Be 'backfill'

            $relp = Get-SandboxAudit | Export-SandboxAudit -Syslog "127.0.0.1:$($rsyslog.Relp)" -Transport Relp
            $relp.Sent | Should -Be 5
            (Get-ReceivedSeq $rsyslog 5) | Should -Be @(1, 2, 3, 4, 5)

            Get-SandboxAudit | Export-SandboxAudit -Otlp $otlp.HttpEndpoint -WhatIf | Should -BeNullOrEmpty
            $otlp.Logs.Count | Should -Be 4
        }
        finally { Pop-Location }
    }
}

Describe 'Export configuration' {
    BeforeEach { $script:world = New-TestCodexHome }
    AfterEach { Remove-Item Env:CODEX_HOME, Env:CODEXSANDBOX_SYSTEM_CONFIG_DIR -ErrorAction SilentlyContinue }

    It 'reports a bad syslog transport and an unset header variable with file and line' {
        $file = Join-Path $world.CodexHome 'config.toml'
        @'
[otel]
exporter = { otlp-http = { endpoint = "http://127.0.0.1:1/v1/logs", protocol = "binary", headers = { authorization = "Bearer ${FLEET_TEST_UNSET_TOKEN}" } } }

[sandbox_audit]
syslog = { transport = "carrier-pigeon", address = "127.0.0.1:514" }
'@ | Set-Content $file
        $found = Test-SandboxConfig -Path $file
        $bad = $found | Where-Object Message -like '*carrier-pigeon*'
        $bad.Severity | Should -Be 'Error'
        $bad.Line | Should -Be 5
        ($found | Where-Object Message -like '*FLEET_TEST_UNSET_TOKEN*').Line | Should -Be 2
    }

    It 'ignores an exporter in a project config, with a warning' {
        $project = New-Item -ItemType Directory -Force (Join-Path $world.Root 'proj/.codex')
        $null = New-Item -ItemType Directory -Force (Join-Path $world.Root 'proj/.git')
        "[projects.`"$(Split-Path $project)`"]`ntrust_level = `"trusted`"`n" | Set-Content (Join-Path $world.CodexHome 'config.toml')
        "[otel]`nexporter = { otlp-grpc = { endpoint = `"http://127.0.0.1:1`" } }`n" | Set-Content (Join-Path $project 'config.toml')
        $found = Test-SandboxConfig -WorkingDirectory (Split-Path $project)
        ($found | Where-Object Id -eq 'ExportInProject').Severity | Should -Be 'Warning'
        Push-Location (Split-Path $project)
        try { Sync-SandboxAudit -WarningAction SilentlyContinue | Should -BeNullOrEmpty }
        finally { Pop-Location }
    }

    It 'loads the OpenTelemetry SDK only when an exporter is configured, and then in the engine''s load context' {
        $psd1 = (Get-Module CodexSandbox).Path -replace '\.dll$', '.psd1'
        $probe = @"
Import-Module '$psd1'
`$null = Invoke-SandboxedCommand -Command true
`$null = Sync-SandboxAudit -TimeoutSec 1 -ErrorAction SilentlyContinue
`$otel = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'OpenTelemetry' }
if (`$otel) { [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$otel).Name } else { 'not loaded' }
"@
        $env:CODEX_HOME = $world.CodexHome
        (@(Invoke-TestPwsh $probe))[-1] | Should -Be 'not loaded'
        "[otel]`nexporter = { otlp-http = { endpoint = `"http://127.0.0.1:9/v1/logs`", protocol = `"binary`" } }`n" | Set-Content (Join-Path $world.CodexHome 'config.toml')
        (@(Invoke-TestPwsh $probe))[-1] | Should -Be 'CodexSandbox.Engine'
    }
}
