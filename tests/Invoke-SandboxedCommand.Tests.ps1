BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:t = New-TestCodexHome
    $script:ws = (New-Item -ItemType Directory -Force (Join-Path $t.Root 'ws')).FullName
    $script:cfg = Join-Path $t.Root 'config.toml'
    Set-Content $cfg "[sandbox_workspace_write]`nexclude_slash_tmp = true`nexclude_tmpdir_env_var = true"
    $script:common = @{ ConfigPath = $cfg; WorkingDirectory = $ws; WarningAction = 'SilentlyContinue' }
}
AfterAll { Remove-Item -Recurse -Force $t.Root -ErrorAction SilentlyContinue }

Describe 'Invoke-SandboxedCommand' {
    It 'runs a program with its arguments: Invoke-SandboxedCommand -ConfigPath <cfg> ls -la /' {
        Push-Location $ws
        try { $r = Invoke-SandboxedCommand -ConfigPath $cfg ls -la / }
        finally { Pop-Location }
        $r | Should -BeOfType ([CodexSandbox.SandboxResult])
        $r.Argv | Should -Be @('ls', '-la', '/')
        $r.ExitCode | Should -Be 0
        $r.Succeeded | Should -BeTrue
        $r.Stdout | Should -Match 'etc'
        $r.SandboxMode | Should -Be 'ReadOnly'
        $r.NetworkAccess | Should -BeFalse
        $r.Backend | Should -BeLike 'linux-*'
        $r.Enforcement | Should -Not -BeNullOrEmpty
        $r.StartTime | Should -BeLessOrEqual ([DateTimeOffset]::Now)
        $r.Duration | Should -BeGreaterThan ([TimeSpan]::Zero)
    }

    It 'reports as Enforcement what the launcher applied (its status record), with either layer' {
        foreach ($ns in 'off', 'auto') {
            $c = Join-Path $t.Root "ns-$ns.toml"
            Set-Content $c "[sandbox_workspace_write]`nexclude_slash_tmp = true`nexclude_tmpdir_env_var = true`n[sandbox_linux]`nnamespaces = '$ns'"
            $r = Invoke-SandboxedCommand -ConfigPath $c -WorkingDirectory $ws -WarningAction SilentlyContinue sh -c 'exit 3'
            $r.ExitCode | Should -Be 3
            ($r.Enforcement -join "`n") | Should -Match '(?m)^landlock-filesystem: '
            ($r.Enforcement -join "`n") | Should -Match '(?m)^seccomp: '
            ($r.Enforcement -join "`n") | Should -Match '(?m)^no-new-privileges$'
            ($r.NotEnforced -join "`n") | Should -Not -Match 'planned, but not applied'
        }
    }

    It 'touch ./x works in workspace-write while touch /etc/x fails with the denial visible' {
        $ok = Invoke-SandboxedCommand -SandboxMode WorkspaceWrite touch ./x @common
        $ok.ExitCode | Should -Be 0
        Test-Path (Join-Path $ws 'x') | Should -BeTrue
        $bad = Invoke-SandboxedCommand -SandboxMode WorkspaceWrite touch /etc/x @common
        $bad.ExitCode | Should -Not -Be 0
        $bad.Stderr | Should -Match "touch: cannot touch '/etc/x'"
        $bad.LikelySandboxDenial | Should -BeTrue
        Test-Path /etc/x | Should -BeFalse
    }

    It 'runs a -Command line with /bin/sh -c and shell syntax' {
        $r = Invoke-SandboxedCommand -Command 'echo a | tr a b && exit 3' @common
        $r.Argv | Should -Be @('/bin/sh', '-c', 'echo a | tr a b && exit 3')
        $r.CommandLine | Should -Be 'echo a | tr a b && exit 3'
        $r.Stdout | Should -Be "b`n"
        $r.ExitCode | Should -Be 3
    }

    It 'takes command lines from the pipeline' {
        $r = 'echo one', 'echo two' | Invoke-SandboxedCommand @common
        $r.Stdout | Should -Be @("one`n", "two`n")
    }

    It 'runs a -ScriptBlock in a sandboxed PowerShell' {
        $r = Invoke-SandboxedCommand -ScriptBlock { 'from pwsh'; $env:CODEX_SANDBOX } @common
        $r.ExitCode | Should -Be 0 -Because $r.Stderr
        $r.Stdout | Should -Match "from pwsh`n$($r.Backend)"
    }

    It 'streams lines as they come with -Stream, then writes the result' {
        $out = Invoke-SandboxedCommand -Command 'echo a; echo b >&2; echo c' -Stream @common -ErrorVariable err 2>$null
        $out[0..1] | Should -Be @('a', 'c')
        $out[-1] | Should -BeOfType ([CodexSandbox.SandboxResult])
        $out[-1].OutputStreamed | Should -BeTrue
        # stderr lines are error records as a native command's are (see 'Native command behaviour')
        @($err).Count | Should -Be 1
        $err[0].Exception.Message | Should -Be 'b'
        $err[0].FullyQualifiedErrorId | Should -Be 'NativeCommandErrorMessage'
    }

    It 'stops the run when the pipeline stops reading a -Stream (Select-Object -First)' {
        $tag = "cxsb-stream-$(Get-Random -Minimum 1000 -Maximum 9999)"
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $first = Invoke-SandboxedCommand -Command "i=0; while [ `$i -lt 600 ]; do echo line-`$i; i=`$((i+1)); sleep 0.05; done; echo $tag" -Stream @common | Select-Object -First 2
        $sw.Stop()
        $first | Should -Be @('line-0', 'line-1')
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 20 -Because 'the command (30 s of output) is ended, not waited for'
    }

    It 'adds -Environment variables after the environment policy' {
        $r = Invoke-SandboxedCommand -Command 'echo "$FOO"' -Environment @{ FOO = 'bar' } @common
        $r.Stdout | Should -Be "bar`n"
    }

    It 'shows the exact launch plan with -WhatIf and runs nothing' {
        $marker = Join-Path $ws 'whatif-marker'
        $r = Invoke-SandboxedCommand -SandboxMode WorkspaceWrite -Command "touch '$marker'" -WhatIf @common 6>&1 | Out-String
        Test-Path $marker | Should -BeFalse
        $r | Should -Not -Match 'SandboxResult'
    }

    It 'writes the plan it carries out (argv, environment, protections) to the verbose stream' {
        $v = Invoke-SandboxedCommand -Command 'true' -Verbose @common 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Out-String
        # The launcher is told first where to report what it applied (its status record), then the policy.
        $v | Should -Match 'argv: .*codex-linux-sandbox --status-fd 3 --mode read-only'
        $v | Should -Match 'environment: .*CODEX_SANDBOX=linux'
        $v | Should -Match 'enforced: .*no-new-privileges'
    }

    It 'truncates output at output_max_bytes and says so' {
        $small = Join-Path $t.Root 'small.toml'
        Set-Content $small "[sandbox_limits]`noutput_max_bytes = 100"
        $r = Invoke-SandboxedCommand -Command 'head -c 5000 /dev/zero | tr "\0" a' -ConfigPath $small -WorkingDirectory $ws
        $r.Stdout.Length | Should -Be 100
        $r.StdoutTruncated | Should -BeTrue
        $r.StdoutBytes | Should -Be 5000
    }

    It 'replaces invalid UTF-8 bytes instead of failing' {
        $r = Invoke-SandboxedCommand -Command 'printf "a\377b"' @common
        $r.Stdout | Should -Be "a$([char]0xFFFD)b"
    }

    It 'gives the command end-of-file on stdin' {
        $r = Invoke-SandboxedCommand -Command 'cat; echo end' @common -TimeoutSec 10
        $r.Stdout | Should -Be "end`n"
        $r.TimedOut | Should -BeFalse
    }

    Context 'LikelySandboxDenial' {
        It 'is false for <name>' -TestCases @(
            @{ name = 'a plain false'; line = 'false' }
            @{ name = 'exit 126'; line = 'echo "Permission denied" >&2; exit 126' }
            @{ name = 'exit 127'; line = 'no-such-thing-xyz' }
            @{ name = 'output that mentions the sandbox'; line = 'echo "sandbox landlock seccomp failed" >&2; exit 1' }
            @{ name = 'a success that prints an errno text'; line = 'echo "Operation not permitted" >&2; exit 0' }
        ) {
            (Invoke-SandboxedCommand -Command $line @common).LikelySandboxDenial | Should -BeFalse
        }

        It 'is true when the sandbox blocked a write' {
            (Invoke-SandboxedCommand -Command 'echo x > /etc/cxsb-denied' @common).LikelySandboxDenial | Should -BeTrue
        }
    }

    Context 'bad input' {
        It 'reports an unknown command as CommandNotFound with exit code 127' {
            Invoke-SandboxedCommand -ErrorVariable err -ErrorAction SilentlyContinue no-such-program-xyz @common | Out-Null
            $err[0].FullyQualifiedErrorId | Should -Be 'CommandNotFound,CodexSandbox.Commands.InvokeSandboxedCommandCommand'
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $global:LASTEXITCODE | Should -Be 127
        }

        It 'takes a missing program from the launcher''s status record, never from what the command prints' {
            $r = Invoke-SandboxedCommand -Command "echo 'codex-linux-sandbox: x: command not found' >&2; exit 127" @common
            $r.ExitCode | Should -Be 127
            $r.Stderr | Should -Match 'command not found'
        }

        It 'reports a missing working directory' {
            { Invoke-SandboxedCommand -WorkingDirectory (Join-Path $t.Root 'missing') true } | Should -Throw -ErrorId 'WorkingDirectoryNotFound,CodexSandbox.Commands.InvokeSandboxedCommandCommand'
        }

        It 'skips a missing writable root with a warning and still runs' {
            $r = Invoke-SandboxedCommand -SandboxMode WorkspaceWrite -WritableRoot (Join-Path $t.Root 'nope') -ConfigPath $cfg -WorkingDirectory $ws -WarningVariable warn -WarningAction SilentlyContinue true
            $r.ExitCode | Should -Be 0
            ($warn -join "`n") | Should -Match 'does not exist and was skipped'
        }

        It 'handles a working directory and arguments with odd characters' {
            $odd = New-Item -ItemType Directory -Force (Join-Path $t.Root "odd dir 'q' `$x ü")
            $r = Invoke-SandboxedCommand -SandboxMode WorkspaceWrite -ConfigPath $cfg -WorkingDirectory $odd.FullName -WarningAction SilentlyContinue -- printf '%s|' 'a b' '"q"' '$HOME' 'ü' ''
            $r.ExitCode | Should -Be 0 -Because $r.Stderr
            $r.Stdout | Should -Be 'a b|"q"|$HOME|ü||'
        }

        It 'refuses a NUL character in an argument' {
            Invoke-SandboxedCommand -ErrorVariable err -ErrorAction SilentlyContinue echo "a`0b" @common | Out-Null
            $err[0].FullyQualifiedErrorId | Should -Be 'InvalidCommandArgument,CodexSandbox.Commands.InvokeSandboxedCommandCommand'
            $err[0].Exception.Message | Should -Match 'NUL'
        }

        It 'reports an argument list beyond the kernel limit without hanging' {
            $huge = 'x' * 200000
            $args = 1..20 | ForEach-Object { $huge }
            $r = Invoke-SandboxedCommand -ErrorVariable err -ErrorAction SilentlyContinue echo @args @common
            if ($err) { $err[0].FullyQualifiedErrorId | Should -BeIn @('ArgumentListTooLong,CodexSandbox.Commands.InvokeSandboxedCommandCommand', 'StartFailed,CodexSandbox.Commands.InvokeSandboxedCommandCommand') }
            else { $r.ExitCode | Should -Not -Be 0 }
        }

        It 'refuses to run when namespaces are required but bubblewrap is not usable, naming the fix' {
            $req = Join-Path $t.Root 'required.toml'
            Set-Content $req "[sandbox_linux]`nnamespaces = 'required'"
            if ((Get-SandboxCapability).BwrapWorks) {
                (Invoke-SandboxedCommand -ConfigPath $req -WorkingDirectory $ws true).Backend | Should -Be 'linux-bwrap'
            }
            else {
                Invoke-SandboxedCommand -ConfigPath $req -WorkingDirectory $ws -ErrorVariable err -ErrorAction SilentlyContinue true
                $err[0].FullyQualifiedErrorId | Should -BeLike 'SandboxUnavailable,*'
                $err[0].ErrorDetails.RecommendedAction | Should -Match 'bubblewrap'
            }
        }
    }

    It 'runs danger-full-access directly with no sandbox' {
        $r = Invoke-SandboxedCommand -SandboxMode DangerFullAccess -Command 'echo "$CODEX_SANDBOX"' @common
        $r.Backend | Should -Be 'none'
        $r.Stdout | Should -Be "`n"
        $r.NotEnforced | Should -Match 'danger-full-access'
    }
}

Describe 'Get-SandboxCapability' {
    It 'reports Landlock, seccomp, bubblewrap and the protections of each mode' {
        $c = Get-SandboxCapability
        $c | Should -BeOfType ([CodexSandbox.SandboxCapability])
        $c.Platform | Should -Be 'Linux'
        $c.LandlockAbi | Should -BeGreaterOrEqual 0
        $c.LandlockFeatures.Count | Should -Be ([math]::Min($c.LandlockAbi, 7))
        $c.Backend[[CodexSandbox.SandboxMode]::DangerFullAccess] | Should -Be 'none'
        $c.Protections[[CodexSandbox.SandboxMode]::ReadOnly] | Should -Contain 'no-new-privileges'
        if ($c.BwrapWorks) { $c.Backend[[CodexSandbox.SandboxMode]::WorkspaceWrite] | Should -Be 'linux-bwrap' }
        $scratch = New-Item -ItemType Directory -Force (Join-Path (Get-TestBase) "cap-$PID")
        Push-Location $scratch
        try { $off = Get-SandboxCapability -Namespaces Off }
        finally { Pop-Location; Remove-Item -Recurse -Force $scratch }
        $off.Backend[[CodexSandbox.SandboxMode]::WorkspaceWrite] | Should -Be 'linux-launcher'
        ($off.Missing[[CodexSandbox.SandboxMode]::WorkspaceWrite] -join "`n") | Should -Match 'protected-paths'
    }

    It 'says a workspace that holds the module cannot run without the namespace layer, and why' {
        Push-Location (Split-Path (Get-Module CodexSandbox).Path)
        try { $off = Get-SandboxCapability -Namespaces Off }
        finally { Pop-Location }
        $off.Backend[[CodexSandbox.SandboxMode]::WorkspaceWrite] | Should -Be 'unavailable'
        ($off.Missing[[CodexSandbox.SandboxMode]::WorkspaceWrite] -join "`n") | Should -Match 'inside a writable root'
        $off.Backend[[CodexSandbox.SandboxMode]::ReadOnly] | Should -Be 'linux-launcher'
    }

    It 'shows the Linux facts in its default view, and no other platform''s' {
        $text = Get-SandboxCapability | Out-String
        $text | Should -Match 'Landlock\s+:'
        $text | Should -Match 'Bubblewrap\s+:'
        $text | Should -Not -Match 'Seatbelt\s+:'
    }
}

Describe 'Stopping a run (Ctrl+C)' {
    It 'kills the whole sandboxed process tree when the pipeline is stopped' {
        $marker = "4$(Get-Random -Minimum 100 -Maximum 999).25"
        $module = (Get-Module CodexSandbox).Path -replace '\.dll$', '.psd1'
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$module'; Invoke-SandboxedCommand -ConfigPath '$cfg' -WorkingDirectory '$ws' -Command 'sleep $marker & sleep $marker; wait'")
            $async = $ps.BeginInvoke()
            foreach ($i in 1..100) { if (& pgrep -f "sleep $marker") { break }; Start-Sleep -Milliseconds 100 }
            (& pgrep -f "sleep $marker") | Should -Not -BeNullOrEmpty
            $ps.Stop()    # what Ctrl+C does
            foreach ($i in 1..30) { if (-not (& pgrep -f "sleep $marker")) { break }; Start-Sleep -Milliseconds 100 }
            (& pgrep -f "sleep $marker") | Should -BeNullOrEmpty
        }
        finally { $ps.Dispose() }
    }
}
