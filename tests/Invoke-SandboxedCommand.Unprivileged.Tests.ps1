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
            $script:root = Join-Path ([IO.Path]::GetTempPath()) "cxsb-unpriv-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
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
