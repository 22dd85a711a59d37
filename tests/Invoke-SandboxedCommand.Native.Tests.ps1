# Issue 17 points 1-3: running a command in the sandbox feels like running it directly. The output shows in full with one
# status line, -Stream's stderr redirects as a native command's does, a non-zero exit fails the way a native command's
# does, and a command that needs an approval nobody can give stops a non-interactive script.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:t = New-TestCodexHome
    $script:ws = (New-Item -ItemType Directory -Force (Join-Path $t.Root 'ws')).FullName
    $script:cfg = Join-Path $t.Root 'config.toml'
    Set-Content $cfg "[sandbox_workspace_write]`nexclude_slash_tmp = true`nexclude_tmpdir_env_var = true`n[sandbox_rollback]`ncheckpoint = 'never'"
    $script:common = @{ ConfigPath = $cfg; WorkingDirectory = $ws; WarningAction = 'SilentlyContinue' }
    $script:module = (Get-Module CodexSandbox).Path -replace '\.dll$', '.psd1'

    # Runs a script file in a fresh `pwsh -NonInteractive -File`, as a CI job does; returns its lines and exit code.
    function script:Invoke-ChildScript([string] $Text) {
        $file = Join-Path $t.Root "child-$([guid]::NewGuid().ToString('n').Substring(0, 8)).ps1"
        Set-Content $file "`$PSStyle.OutputRendering = 'PlainText'; Import-Module '$module'`n$Text"
        Push-Location (Join-Path $PSScriptRoot '..')
        try { $lines = & dotnet pwsh -NoProfile -NonInteractive -File $file 2>&1 | ForEach-Object { "$_" } }
        finally { Pop-Location }
        [pscustomobject]@{ Lines = @($lines); Text = $lines -join "`n"; ExitCode = $LASTEXITCODE }
    }
}
AfterAll { Remove-Item -Recurse -Force $t.Root -ErrorAction SilentlyContinue }

Describe 'Showing the output' {
    It 'prints every line of the output, then one status line, at 80 columns' {
        $r = Invoke-SandboxedCommand @common -Command 'for i in 1 2 3 4 5 6 7 8 9 10; do echo "line-$i"; done'
        $text = $r | Out-String -Width 80
        foreach ($i in 1..10) { $text | Should -Match "(?m)^line-$i$" }
        $text | Should -Match "(?m)^\[exit 0 \| \d+ ms \| $([regex]::Escape($r.Backend))\]$"
        $text | Should -Not -Match 'ExitCode' -Because 'the default view is the output, not a table'
        ($text -split "`n" | Where-Object { $_ -match '^line-' } | Select-Object -First 1) | Should -Be 'line-1'
    }

    It 'shows stderr, the exit code and the denial hint in the status line' {
        $r = Invoke-SandboxedCommand @common -SandboxMode ReadOnly -Command 'echo before; touch ./denied'
        $r.ExitCode | Should -Not -Be 0
        $text = $r | Out-String -Width 80
        $text | Should -Match '(?m)^before$'
        $text | Should -Match 'denied'
        $text | Should -Match "\[exit $($r.ExitCode) \|"
        if ($r.LikelySandboxDenial) { $text | Should -Match 'likely blocked by the sandbox' }
    }

    It 'keeps the result as the pipeline object and the table for Format-Table' {
        $r = Invoke-SandboxedCommand @common echo hello
        $r | Should -BeOfType ([CodexSandbox.SandboxResult])
        $r.Stdout | Should -Be "hello`n"
        ($r | Format-Table | Out-String -Width 80) | Should -Match 'ExitCode'
    }

    It 'prints only the status line after -Stream, which already wrote the lines' {
        $out = Invoke-SandboxedCommand @common -Stream -Command 'echo streamed-once'
        $out[0] | Should -Be 'streamed-once'
        $text = $out[-1] | Out-String -Width 80
        $text | Should -Not -Match 'streamed-once'
        $text | Should -Match '\[exit 0 \|'
    }

    It 'warns with the size and the setting when the output is cut at output_max_bytes' {
        $small = Join-Path $t.Root 'small.toml'
        Set-Content $small "[sandbox_limits]`noutput_max_bytes = 100"
        $r = Invoke-SandboxedCommand -ConfigPath $small -WorkingDirectory $ws -WarningVariable w -WarningAction SilentlyContinue -Command 'seq 1 1000'
        $r.StdoutTruncated | Should -BeTrue
        @($w).Count | Should -Be 1
        "$($w[0])" | Should -Match '100 bytes'
        "$($w[0])" | Should -Match "$($r.StdoutBytes) bytes"
        "$($w[0])" | Should -Match 'output_max_bytes'
        ($r | Out-String -Width 80) | Should -Match 'output cut at output_max_bytes'
    }

    It 'does not warn when nothing was cut' {
        $null = Invoke-SandboxedCommand @common -WarningVariable w -Command 'seq 1 10'
        $w | Should -BeNullOrEmpty
    }
}

Describe 'stderr with -Stream, redirected as native stderr is' {
    It '2>$null drops the stderr lines and keeps stdout' {
        $out = Invoke-SandboxedCommand @common -Stream -Command 'echo out1; echo err1 >&2; echo out2' 2>$null
        $out[0..1] | Should -Be @('out1', 'out2')
        @($out).Count | Should -Be 3
    }

    It '2>&1 merges them in as error records carrying the bare line' {
        $out = Invoke-SandboxedCommand @common -Stream -Command 'echo out1; echo err1 >&2; sleep 0.2; echo out2' 2>&1
        $records = @($out | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $records.Count | Should -Be 1
        $records[0].Exception.Message | Should -Be 'err1'
        $records[0].FullyQualifiedErrorId | Should -Be 'NativeCommandErrorMessage'
        ($records[0] | Out-String -Width 80).Trim() | Should -Be 'err1' -Because 'the error view prints a native stderr line alone'
        @($out | Where-Object { $_ -is [string] }) | Should -Be @('out1', 'out2')
    }

    It 'keeps every line of a long stderr, in order' {
        $out = Invoke-SandboxedCommand @common -Stream -Command 'seq 1 2000 >&2' 2>&1
        $records = @($out | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $records.Count | Should -Be 2000
        $records[0].Exception.Message | Should -Be '1'
        $records[-1].Exception.Message | Should -Be '2000'
    }

    It '2>file writes the lines to the file as they are' {
        $file = Join-Path $t.Root 'stderr.txt'
        $null = Invoke-SandboxedCommand @common -Stream -Command 'echo e1 >&2; echo e2 >&2' 2>$file
        Get-Content $file | Should -Be @('e1', 'e2')
    }

    It 'never becomes a terminating error under $ErrorActionPreference = Stop, and leaves $? true' {
        $ErrorActionPreference = 'Stop'
        $out = Invoke-SandboxedCommand @common -Stream -Command 'echo e1 >&2; echo after' 2>$null
        $ok = $?
        $ErrorActionPreference = 'Continue'
        $out[0] | Should -Be 'after'
        $out[-1].ExitCode | Should -Be 0
        $ok | Should -BeTrue
    }

    It 'keeps running in a script under Stop and shows the line (child process)' {
        $run = Invoke-ChildScript "`$ErrorActionPreference = 'Stop'; Set-Location '$ws'`nInvoke-SandboxedCommand -ConfigPath '$cfg' -Stream -Command 'echo to-stderr >&2; echo to-stdout' | Out-Null`n'carried on'"
        $run.ExitCode | Should -Be 0 -Because $run.Text
        $run.Lines | Should -Contain 'to-stderr'
        $run.Lines | Should -Contain 'carried on'
    }
}

Describe 'A non-zero exit fails like a native command' {
    AfterEach { $PSNativeCommandUseErrorActionPreference = $false }

    It 'sets $LASTEXITCODE, and is no error by default (as for a native command)' {
        $global:LASTEXITCODE = 0
        Invoke-SandboxedCommand @common -ErrorVariable err sh -c 'exit 3' | Out-Null
        $LASTEXITCODE | Should -Be 3
        $err | Should -BeNullOrEmpty
        Invoke-SandboxedCommand @common true | Out-Null
        $LASTEXITCODE | Should -Be 0
    }

    It 'writes a NativeCommandExitCode error carrying the exit code under $PSNativeCommandUseErrorActionPreference' {
        $PSNativeCommandUseErrorActionPreference = $true
        $r = Invoke-SandboxedCommand @common -ErrorVariable err -ErrorAction SilentlyContinue sh -c 'exit 3'
        $r.ExitCode | Should -Be 3 -Because 'the result is still written'
        @($err).Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'NativeCommandExitCode,CodexSandbox.Commands.InvokeSandboxedCommandCommand'
        $err[0].Exception.ExitCode | Should -Be 3
        $err[0].Exception | Should -BeOfType ([CodexSandbox.SandboxedCommandExitException])
        $err[0].TargetObject.ExitCode | Should -Be 3
        $err[0].Exception.Message | Should -Match 'exited with code 3'
        $LASTEXITCODE | Should -Be 3
    }

    It 'writes no error for a command that succeeds under the preference' {
        $PSNativeCommandUseErrorActionPreference = $true
        $null = Invoke-SandboxedCommand @common -ErrorVariable err true
        $err | Should -BeNullOrEmpty
    }

    It 'throws with -ErrorAction Stop under the preference' {
        $PSNativeCommandUseErrorActionPreference = $true
        { Invoke-SandboxedCommand @common -ErrorAction Stop false } | Should -Throw -ErrorId 'NativeCommandExitCode,CodexSandbox.Commands.InvokeSandboxedCommandCommand'
    }

    It 'makes && skip and || run under the preference' {
        $PSNativeCommandUseErrorActionPreference = $true
        $ErrorActionPreference = 'Continue'   # under Stop the error would throw (the test above); here it must not
        $and = Invoke-SandboxedCommand @common false 2>$null | Out-Null && 'and-ran'
        $and | Should -BeNullOrEmpty
        $or = Invoke-SandboxedCommand @common false 2>$null | Out-Null || 'or-ran'
        $or | Should -Be 'or-ran'
        $ok = Invoke-SandboxedCommand @common true | Out-Null && 'and-ran'
        $ok | Should -Be 'and-ran'
    }

    It 'makes $? false without the preference too, as a native command''s exit does: && skips, || runs, no error' {
        $and = Invoke-SandboxedCommand @common -ErrorVariable err false | Out-Null && 'and-ran'
        $and | Should -BeNullOrEmpty
        $err | Should -BeNullOrEmpty -Because 'a non-zero exit is no error record unless the preference asks for one'
        $LASTEXITCODE | Should -Be 1
        $or = Invoke-SandboxedCommand @common false || 'or-ran'
        $or[-1] | Should -Be 'or-ran'
        $null = Invoke-SandboxedCommand @common sh -c 'exit 3'
        $? | Should -BeFalse
        $ok = Invoke-SandboxedCommand @common true | Out-Null && 'and-ran'
        $ok | Should -Be 'and-ran'
        $null = Invoke-SandboxedCommand @common true
        $? | Should -BeTrue
        # the same as the native command beside it
        $native = /bin/false | Out-Null && 'and-ran'
        $native | Should -BeNullOrEmpty
    }

    It 'stops a script under the preference and Stop, with a non-zero exit (child process)' {
        $run = Invoke-ChildScript "`$ErrorActionPreference = 'Stop'; `$PSNativeCommandUseErrorActionPreference = `$true; Set-Location '$ws'`nInvoke-SandboxedCommand -ConfigPath '$cfg' false | Out-Null`n'carried on'"
        $run.ExitCode | Should -Not -Be 0
        $run.Lines | Should -Not -Contain 'carried on'
        $run.Text | Should -Match 'exited with code 1'
    }
}

Describe 'CI never carries on as if a command had run' {
    It 'stops a -NonInteractive script at a command that needs approval, with a non-zero exit (child process)' {
        $marker = Join-Path $ws 'ci-marker'
        $run = Invoke-ChildScript "Set-Location '$ws'`nInvoke-SandboxedCommand -ConfigPath '$cfg' -ApprovalPolicy Untrusted -SandboxMode WorkspaceWrite touch ./ci-marker`n'carried on'"
        $run.ExitCode | Should -Not -Be 0
        $run.Lines | Should -Not -Contain 'carried on'
        $run.Text | Should -Match 'needs approval'
        $run.Text | Should -Match '-Force'
        Test-Path $marker | Should -BeFalse
    }

    It 'runs the same script with -Force (the CI recipe)' {
        $run = Invoke-ChildScript "Set-Location '$ws'`n`$r = Invoke-SandboxedCommand -ConfigPath '$cfg' -ApprovalPolicy Untrusted -SandboxMode WorkspaceWrite -Force touch ./ci-forced`n`"ran=`$(`$r.ExitCode)`""
        $run.ExitCode | Should -Be 0 -Because $run.Text
        $run.Lines | Should -Contain 'ran=0'
        Test-Path (Join-Path $ws 'ci-forced') | Should -BeTrue
    }

    It 'stops the script even under -ErrorAction SilentlyContinue, and try/catch still catches it' {
        $after = try {
            & {
                Invoke-SandboxedCommand @common -ApprovalPolicy Untrusted -SandboxMode WorkspaceWrite -ErrorAction SilentlyContinue touch ./x
                'carried on'
            }
        }
        catch { 'stopped' }
        $after | Should -Be 'stopped'
        $caught = try { Invoke-SandboxedCommand @common -ApprovalPolicy Untrusted -SandboxMode WorkspaceWrite touch ./x; 'not caught' } catch { $_.FullyQualifiedErrorId }
        $caught | Should -Be 'ApprovalRequired,CodexSandbox.Commands.InvokeSandboxedCommandCommand'
    }
}
