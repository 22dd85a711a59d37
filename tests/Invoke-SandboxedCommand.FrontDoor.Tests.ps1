# The argv front door (issue 14): `Invoke-SandboxedCommand <program> <its flags>` runs the program with exactly those
# flags, or refuses clearly; a flag of the program never lands in one of our parameters or in a common parameter.
# A stand-in program, argv.sh, prints its arguments one per line.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:t = New-TestCodexHome
    # The world lives outside the host's temporary folders, which a sandboxed command does not see.
    $script:root = (New-Item -ItemType Directory -Force (Join-Path (Get-TestBase) "cxsb-fd-$([guid]::NewGuid().ToString('n').Substring(0, 8))")).FullName
    $script:ws = (New-Item -ItemType Directory -Force (Join-Path $root 'ws')).FullName
    $script:bin = (New-Item -ItemType Directory -Force (Join-Path $root 'bin')).FullName
    & chmod -R 755 $root
    Set-Content -Path (Join-Path $ws 'argv.sh') -Value "#!/bin/sh`nprintf '%s\n' `"`$@`"`n" -NoNewline
    Set-Content -Path (Join-Path $ws 'secret.txt') -Value 'TOP-SECRET' -NoNewline
    Set-Content -Path (Join-Path $ws 'f') -Value "a`nx`n" -NoNewline
    Set-Content -Path (Join-Path $ws 'ref') -Value 'ref' -NoNewline
    # A program named like one of our parameters, reachable only after '--'.
    Set-Content -Path (Join-Path $bin '-Force') -Value "#!/bin/sh`necho I am -Force; printf '%s\n' `"`$@`"`n" -NoNewline
    & chmod 755 (Join-Path $ws 'argv.sh') (Join-Path $bin '-Force')
    & git -C $ws init -q 2>&1 | Out-Null
    $script:cfg = Join-Path $root 'config.toml'
    Set-Content $cfg "deny_read = ['$ws/secret.txt']`n[sandbox_workspace_write]`nnetwork_access = true"
    $script:savedPath = $env:PATH
    $env:PATH = "$bin$([IO.Path]::PathSeparator)$env:PATH"
    Push-Location $ws
    # Every call below names the config and the folder before the program; $common is splatted (ours wherever it stands).
    $script:common = @{ ConfigPath = $cfg; WorkingDirectory = $ws; WarningAction = 'SilentlyContinue' }

    function Assert-Defaults($r) {
        # No option of ours changed: the mode, network and decision are those of the config, nothing escalated.
        $r.SandboxMode | Should -Be 'ReadOnly'
        $r.NetworkAccess | Should -BeFalse
        $r.Escalated | Should -BeFalse
        $r.DecisionSource | Should -Be 'Policy'
        $r.WorkingDirectory | Should -Be $ws
    }
}

AfterAll {
    Pop-Location
    $env:PATH = $savedPath
    Remove-Item -Recurse -Force $root, $t.Root -ErrorAction SilentlyContinue
}

Describe 'Invoke-SandboxedCommand program flags: the issue''s examples' {
    It 'cat -r secret.txt reads nothing from a deny_read file and is not escalated' {
        if (-not $IsLinux) { Set-ItResult -Skipped -Because 'this case needs the Linux bubblewrap layer; the macOS and Windows deny_read attempts are in Invoke-SandboxedCommand.Platform.Tests.ps1' }
        $cap = Get-SandboxCapability
        if (-not $cap.BwrapWorks) { Set-ItResult -Skipped -Because "bubblewrap is not usable here: $($cap.BwrapProblem)" }
        $r = Invoke-SandboxedCommand -ApprovalPolicy OnRequest -ConfigPath $cfg -WorkingDirectory $ws cat -r secret.txt
        $r.Argv | Should -Be @('cat', '-r', 'secret.txt')
        "$($r.Stdout)$($r.Stderr)" | Should -Not -Match 'TOP-SECRET'
        $r.ExitCode | Should -Not -Be 0
        Assert-Defaults $r
        # The same without the program's flag: the file stays unreadable.
        $plain = Invoke-SandboxedCommand -ConfigPath $cfg -WorkingDirectory $ws cat secret.txt
        $plain.Stdout | Should -Not -Match 'TOP-SECRET'
    }

    It '-Force touch -r ref new does not create the file in read-only mode' {
        $r = Invoke-SandboxedCommand -Force @common touch -r ref new
        $r.Argv | Should -Be @('touch', '-r', 'ref', 'new')
        $r.ExitCode | Should -Not -Be 0
        Test-Path (Join-Path $ws 'new') | Should -BeFalse
        $r.SandboxMode | Should -Be 'ReadOnly'
        $r.Escalated | Should -BeFalse
    }

    It 'grep -n x f keeps -n and the network off' {
        $r = Invoke-SandboxedCommand @common grep -n x f
        $r.Argv | Should -Be @('grep', '-n', 'x', 'f')
        $r.Stdout | Should -Be "2:x`n"
        Assert-Defaults $r
    }

    It 'cat -v is the program''s -v, not -Verbose' {
        $all = Invoke-SandboxedCommand @common cat -v f 4>&1
        @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -Be 0
        $r = $all | Where-Object { $_ -is [CodexSandbox.SandboxResult] }
        $r.Argv | Should -Be @('cat', '-v', 'f')
        $r.ExitCode | Should -Be 0
        Assert-Defaults $r
    }

    It 'ls -t and ls -a run as ls''s flags, with no prompt and no ambiguity' {
        $t1 = Invoke-SandboxedCommand @common ls -t
        $t1.Argv | Should -Be @('ls', '-t')
        $t1.ExitCode | Should -Be 0
        $a = Invoke-SandboxedCommand @common ls -a
        $a.Argv | Should -Be @('ls', '-a')
        $a.Stdout -split "`n" | Should -Contain '..'
        Assert-Defaults $a
    }

    It 'git -C . status runs git with -C .' {
        $r = Invoke-SandboxedCommand @common git -C . status
        $r.Argv | Should -Be @('git', '-C', '.', 'status')
        $r.ExitCode | Should -Be 0 -Because $r.Stderr
        $r.Stdout | Should -Match 'branch'
        Assert-Defaults $r
    }

    It 'curl -s is curl''s -s, and the network stays off' {
        $r = Invoke-SandboxedCommand @common curl -s http://127.0.0.1:9/
        $r.Argv | Should -Be @('curl', '-s', 'http://127.0.0.1:9/')
        $r.ExitCode | Should -Not -Be 0
        Assert-Defaults $r
    }
}

Describe 'Every one- and two-letter flag goes to the program' {
    BeforeAll {
        # 52 single letters and the 676 lowercase pairs, each in its own call as a user types it, in child
        # `pwsh -NonInteractive` processes (a prompt fails there instead of hanging). $WhatIfPreference (not an
        # option of ours) stops each call after the decision and prints the cmdlet's plan: the argv it got and the
        # launcher's --mode/--network. A sample runs for real below.
        $letters = [char[]]'abcdefghijklmnopqrstuvwxyz'
        $script:flags = @($letters | ForEach-Object { "-$_" }) + @($letters | ForEach-Object { "-$([char]::ToUpper($_))" }) +
            @(foreach ($x in $letters) { foreach ($y in $letters) { "-$x$y" } })
        $module = (Get-Module CodexSandbox).Path -replace '\.dll$', '.psd1'
        $script:blocks = [System.Collections.Generic.Dictionary[string, object]]::new([StringComparer]::Ordinal)   # -a is not -A
        $script:childErrors = @()
        $batches = 4
        $size = [math]::Ceiling($flags.Count / $batches)
        for ($b = 0; $b -lt $batches; $b++) {
            $batch = $flags | Select-Object -Skip ($b * $size) -First $size
            $script = Join-Path $root "sweep-$b.ps1"
            $lines = @(
                "Import-Module '$module'"
                "`$env:CODEX_HOME = '$($t.CodexHome)'; `$env:CODEXSANDBOX_SYSTEM_CONFIG_DIR = '$($t.System)'"
                "Set-Location '$ws'"
                "`$WhatIfPreference = `$true"
            )
            foreach ($flag in $batch) {
                $lines += "Write-Host '@@ $flag'; try { Invoke-SandboxedCommand ./argv.sh $flag } catch { Write-Host ""@@FAILED `$(`$_.FullyQualifiedErrorId)"" }"
            }
            $lines += "Write-Host ""@@ERRORS `$(`$Error.Count)"""
            Set-Content $script ($lines -join "`n")
            Push-Location (Join-Path $PSScriptRoot '..')   # where `dotnet pwsh` finds its tool manifest
            try { $out = & dotnet pwsh -NoProfile -NonInteractive -File $script 2>&1 | ForEach-Object { "$_" } }
            finally { Pop-Location }
            if (-not ($out -match '^@@ERRORS')) { $script:childErrors += "batch $b did not finish: $($out -join "`n")" }
            $current = $null
            foreach ($line in $out) {
                if ($line -match '^@@ERRORS (\d+)$') { if ($Matches[1] -ne '0') { $script:childErrors += "batch $b : $($Matches[1]) error(s)" }; $current = $null; continue }
                if ($line -match '^@@ (-\w+)$') { $current = $Matches[1]; $script:blocks[$current] = [System.Collections.Generic.List[string]]::new(); continue }
                if ($current) { $script:blocks[$current].Add($line) }
            }
        }
    }

    It 'ran all 728 calls without an error or a prompt' {
        $childErrors | Should -BeNullOrEmpty
        $blocks.Count | Should -Be $flags.Count
        $flags.Count | Should -Be 728
    }

    It 'gave each flag to the program exactly, and changed no option of ours' {
        $bad = foreach ($flag in $flags) {
            $text = $blocks[$flag] -join "`n"
            $plan = $blocks[$flag] | Where-Object { $_ -match '^\s+argv: ' } | Select-Object -First 1
            $ok = $text -match "What if: Run '\./argv\.sh $flag' with backend \S+: \w+, decision Allow\." -and
                $plan -match " --mode read-only " -and $plan -match " --network off " -and $plan -match " \./argv\.sh $flag$" -and
                $text -notmatch 'WARNING|@@FAILED|Exception|not recognized'
            if (-not $ok) { "$flag => $text" }
        }
        $bad | Should -BeNullOrEmpty
    }

    It 'runs a sample for real in the sandbox: each flag arrives as the only argument' {
        $sample = '-r', '-n', '-v', '-t', '-a', '-C', '-s', '-f', '-e', '-o', '-p', '-w', '-d', '-h', '-ea', '-ev', '-ov', '-pv', '-wi', '-cf', '-vb', '-db', '-wa', '-ob', '-iv', '-wv'
        foreach ($flag in $sample) {
            # The flag is typed literally in the call, as a user would (a variable would not be a parameter token).
            $r = Invoke-Expression "Invoke-SandboxedCommand @common ./argv.sh $flag"
            $r.Argv | Should -Be @('./argv.sh', $flag)
            $r.Stdout | Should -Be "$flag`n" -Because "argv.sh $flag printed $($r.Stdout) $($r.Stderr)"
            Assert-Defaults $r
        }
    }
}

Describe 'The front door''s reading of a call' {
    Context 'our options before the program' {
        It 'takes -Name value, -Name:value, any case' {
            (Invoke-SandboxedCommand -SandboxMode WorkspaceWrite @common ./argv.sh).SandboxMode | Should -Be 'WorkspaceWrite'
            (Invoke-SandboxedCommand -SandboxMode:WorkspaceWrite @common ./argv.sh).SandboxMode | Should -Be 'WorkspaceWrite'
            (Invoke-SandboxedCommand -sandboxmode workspace-write @common ./argv.sh).SandboxMode | Should -Be 'WorkspaceWrite'
        }

        It 'takes switches, -Switch:$true and -Switch:$false' {
            (Invoke-SandboxedCommand -SandboxMode WorkspaceWrite -NetworkAccess:$false @common ./argv.sh).NetworkAccess | Should -BeFalse -Because 'the config turns it on; :$false turns it off'
            (Invoke-SandboxedCommand -SandboxMode WorkspaceWrite @common ./argv.sh).NetworkAccess | Should -BeTrue
            (Invoke-SandboxedCommand -NetworkAccess @common ./argv.sh).NetworkAccess | Should -BeTrue
            $r = Invoke-SandboxedCommand -ApprovalPolicy Untrusted -Force:$true @common ./argv.sh x
            $r.DecisionSource | Should -Be 'Force'
            { Invoke-SandboxedCommand -ApprovalPolicy Untrusted -Force:$false @common -ErrorAction Stop ./argv.sh x } | Should -Throw -ErrorId 'ApprovalRequired,CodexSandbox.Commands.InvokeSandboxedCommandCommand'
        }

        It 'takes the other parameters: -TimeoutSec, -Environment, -WritableRoot' {
            $r = Invoke-SandboxedCommand -TimeoutSec 1 @common sleep 5
            $r.TimedOut | Should -BeTrue
            (Invoke-SandboxedCommand -Environment @{ FD_X = 'from-front-door' } @common printenv FD_X).Stdout | Should -Be "from-front-door`n"
            $extra = (New-Item -ItemType Directory -Force (Join-Path $root 'extra')).FullName
            (Invoke-SandboxedCommand -SandboxMode WorkspaceWrite -WritableRoot $extra @common ./argv.sh).WritableRoots | Should -Contain $extra
        }

        It 'takes the common parameters spelled in full: -Verbose, -ErrorAction, -ErrorVariable, -OutVariable, -WarningVariable' {
            $v = Invoke-SandboxedCommand -Verbose @common ./argv.sh 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            @($v).Count | Should -BeGreaterThan 0
            { Invoke-SandboxedCommand -ErrorAction Stop @common no-such-program-fd } | Should -Throw -ErrorId 'CommandNotFound,CodexSandbox.Commands.InvokeSandboxedCommandCommand'
            Invoke-SandboxedCommand -ErrorVariable fdErr -ErrorAction SilentlyContinue @common no-such-program-fd
            $fdErr[0].FullyQualifiedErrorId | Should -Be 'CommandNotFound,CodexSandbox.Commands.InvokeSandboxedCommandCommand'
            Invoke-SandboxedCommand -ErrorVariable +fdErr -ErrorAction SilentlyContinue @common no-such-program-fd
            $fdErr.Count | Should -Be 2
            $null = Invoke-SandboxedCommand -OutVariable fdOut @common ./argv.sh o
            $fdOut[0].Stdout | Should -Be "o`n"
            $null = Invoke-SandboxedCommand -SandboxMode ReadOnly -WritableRoot $ws -WarningVariable fdWarn -WarningAction SilentlyContinue -ConfigPath $cfg -WorkingDirectory $ws ./argv.sh
            ($fdWarn -join ' ') | Should -Match 'read-only'
        }

        It 'sets -PipelineVariable for the rest of the caller''s pipeline' {
            $seen = Invoke-SandboxedCommand -PipelineVariable fdPv @common ./argv.sh pv | ForEach-Object { $fdPv.Stdout }
            $seen | Should -Be "pv`n"
            Test-Path variable:fdPv | Should -BeFalse -Because 'it does not outlive the pipeline'
        }

        It 'previews with -WhatIf and runs nothing; -Confirm:$false runs' {
            $marker = Join-Path $ws 'fd-whatif'
            $out = Invoke-SandboxedCommand -WhatIf -SandboxMode WorkspaceWrite @common touch $marker
            $out | Should -BeNullOrEmpty
            Test-Path $marker | Should -BeFalse
            (Invoke-SandboxedCommand -Confirm:$false @common ./argv.sh).ExitCode | Should -Be 0
        }

        It 'sets $LASTEXITCODE' {
            $null = Invoke-SandboxedCommand @common sh -c 'exit 7'
            $LASTEXITCODE | Should -Be 7
        }

        It 'splats a hashtable with switches and -Force:$true, before or after the program' {
            $p = @{ SandboxMode = 'WorkspaceWrite'; ApprovalPolicy = 'Untrusted'; Force = $true; NetworkAccess = $false }
            $before = Invoke-SandboxedCommand @p @common ./argv.sh -r
            $after = Invoke-SandboxedCommand ./argv.sh -r @p @common
            foreach ($r in $before, $after) {
                $r.Argv | Should -Be @('./argv.sh', '-r')
                $r.SandboxMode | Should -Be 'WorkspaceWrite'
                $r.NetworkAccess | Should -BeFalse
                $r.DecisionSource | Should -Be 'Force'
            }
        }

        It 'splats an array as words in place: the program and its flags' {
            $a = './argv.sh', '-r', '-SandboxMode'
            $r = Invoke-SandboxedCommand @common @a
            $r.Argv | Should -Be @('./argv.sh', '-r', '-SandboxMode')
            Assert-Defaults $r
        }

        It 'passes pipeline input to -Command, one run per line' {
            $r = 'echo one', 'echo two' | Invoke-SandboxedCommand @common
            $r.Stdout | Should -Be @("one`n", "two`n")
            $r = 'echo three' | Invoke-SandboxedCommand -SandboxMode WorkspaceWrite @common
            $r.SandboxMode | Should -Be 'WorkspaceWrite'
        }

        It 'keeps -Command and -ScriptBlock as they were, options before or after them' {
            (Invoke-SandboxedCommand -Command 'echo c' @common).Stdout | Should -Be "c`n"
            (Invoke-SandboxedCommand @common -Command 'echo c2' -SandboxMode WorkspaceWrite).SandboxMode | Should -Be 'WorkspaceWrite'
            (Invoke-SandboxedCommand -ScriptBlock { 'sb' } @common).Stdout | Should -Match 'sb'
            (Invoke-SandboxedCommand -FilePath ./argv.sh -ArgumentList '-r', 'x' @common).Argv | Should -Be @('./argv.sh', '-r', 'x')
        }

        It 'runs in the caller''s scope: its $ErrorActionPreference and StrictMode apply, -ErrorVariable lands there' {
            function Test-CallerScope {
                Set-StrictMode -Version Latest
                $ErrorActionPreference = 'Stop'
                try { Invoke-SandboxedCommand @common no-such-program-fd; 'not stopped' } catch { $_.FullyQualifiedErrorId }
                $ErrorActionPreference = 'SilentlyContinue'
                Invoke-SandboxedCommand -ErrorVariable inner @common no-such-program-fd
                "inner=$($inner.Count)"
            }
            Test-CallerScope | Should -Be @('CommandNotFound,CodexSandbox.Commands.InvokeSandboxedCommandCommand', 'inner=1')
        }
    }

    Context 'the program and the words after it' {
        It 'passes every word after the program verbatim, our parameter names too, with a warning' {
            $r = Invoke-SandboxedCommand @common ./argv.sh -SandboxMode DangerFullAccess -RequestUnsandboxed -Force -NetworkAccess -WarningVariable w -WarningAction SilentlyContinue
            $r.Argv | Should -Be @('./argv.sh', '-SandboxMode', 'DangerFullAccess', '-RequestUnsandboxed', '-Force', '-NetworkAccess', '-WarningVariable', 'w', '-WarningAction', 'SilentlyContinue')
            Assert-Defaults $r
            $warned = Invoke-SandboxedCommand -ConfigPath $cfg -WorkingDirectory $ws ./argv.sh -Force 3>&1 | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }
            "$warned" | Should -Match "'-Force' comes after the program './argv.sh', so it was passed to './argv.sh'"
        }

        It 'ends our options at --, so a program named like our parameter runs, and its words are its own' {
            $r = Invoke-SandboxedCommand -ConfigPath $cfg -WorkingDirectory $ws -- -Force -SandboxMode DangerFullAccess 3>&1
            @($r | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }).Count | Should -Be 0
            $r = $r | Where-Object { $_ -is [CodexSandbox.SandboxResult] }
            $r.Argv | Should -Be @('-Force', '-SandboxMode', 'DangerFullAccess')
            $r.Stdout | Should -Be "I am -Force`n-SandboxMode`nDangerFullAccess`n"
            Assert-Defaults $r
        }

        It 'passes a -- after the program to the program, where it stood' {
            (Invoke-SandboxedCommand @common ./argv.sh a -- -b).Argv | Should -Be @('./argv.sh', 'a', '--', '-b')
            (Invoke-SandboxedCommand @common -- ./argv.sh -- -b).Argv | Should -Be @('./argv.sh', '--', '-b')
            (Invoke-SandboxedCommand @common ./argv.sh --).Argv | Should -Be @('./argv.sh', '--')
            $where = @{ WorkingDirectory = $ws }
            (Invoke-SandboxedCommand -ConfigPath $cfg ./argv.sh -- @where).Argv | Should -Be @('./argv.sh', '--')
        }

        It 'passes -? to the program after -- or quoted (unquoted, PowerShell shows the help before any command runs)' {
            (Invoke-SandboxedCommand @common -- ./argv.sh -?).Argv | Should -Be @('./argv.sh', '-?')
            (Invoke-SandboxedCommand @common ./argv.sh '-?').Stdout | Should -Be "-?`n"
            (Invoke-SandboxedCommand ./argv.sh -? | Out-String) | Should -Match 'Decides, approves and runs'
        }

        It 'passes what a native program would get: -x:y, -x: y, a,b, numbers as typed, lists from variables' {
            $list = 'p', 'q'
            $r = Invoke-SandboxedCommand @common ./argv.sh -x:y -x: y pid,comm 0x10 1.10 007 $list '' 'a b' --long=v
            $r.Argv | Should -Be @('./argv.sh', '-x:y', '-x:', 'y', 'pid,comm', '0x10', '1.10', '007', 'p', 'q', '', 'a b', '--long=v')
            $r.Stdout | Should -Be "-x:y`n-x:`ny`npid,comm`n0x10`n1.10`n007`np`nq`n`na b`n--long=v`n"
        }
    }

    Context 'refusals: nothing runs, and the message names the fix' {
        BeforeAll {
            function Get-Refusal([scriptblock] $Call) {
                try { & $Call; $null } catch { $_ }
            }
        }

        It 'refuses an abbreviation of ours before the program, naming the full spelling' {
            $e = Get-Refusal { Invoke-SandboxedCommand -Sand ReadOnly @common ./argv.sh }
            $e.FullyQualifiedErrorId | Should -Be 'ParameterNotSpelledInFull,Invoke-SandboxedCommand'
            $e.Exception.Message | Should -Match 'write -SandboxMode'
            $e.ErrorDetails.RecommendedAction | Should -Match 'goes after it'
            $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        }

        It 'refuses an alias of a common parameter (-ea, -v) before the program, naming the parameter' {
            (Get-Refusal { Invoke-SandboxedCommand -ea Stop @common ./argv.sh }).Exception.Message | Should -Match 'write -ErrorAction'
            (Get-Refusal { Invoke-SandboxedCommand -v @common ./argv.sh }).Exception.Message | Should -Match '-Verbose'
            (Get-Refusal { Invoke-SandboxedCommand -r @common cat secret.txt }).Exception.Message | Should -Match 'write -RequestUnsandboxed'
        }

        It 'refuses a flag before the program that is not ours, saying the program comes first' {
            $e = Get-Refusal { Invoke-SandboxedCommand -la @common }
            $e.FullyQualifiedErrorId | Should -Be 'NotAParameter,Invoke-SandboxedCommand'
            $e.ErrorDetails.RecommendedAction | Should -Match 'Put the program first'
        }

        It 'refuses a missing value, a repeated option, a program next to -Command, and no command at all' {
            (Get-Refusal { Invoke-SandboxedCommand @common -Profile }).FullyQualifiedErrorId | Should -Be 'MissingParameterValue,Invoke-SandboxedCommand'
            (Get-Refusal { Invoke-SandboxedCommand @common -Profile -- ls }).FullyQualifiedErrorId | Should -Be 'MissingParameterValue,Invoke-SandboxedCommand'
            (Get-Refusal { Invoke-SandboxedCommand -Force -Force @common ls }).FullyQualifiedErrorId | Should -Be 'DuplicateParameter,Invoke-SandboxedCommand'
            (Get-Refusal { Invoke-SandboxedCommand -Command 'echo x' @common ls }).FullyQualifiedErrorId | Should -Be 'ConflictingCommand,Invoke-SandboxedCommand'
            (Get-Refusal { Invoke-SandboxedCommand @common }).FullyQualifiedErrorId | Should -Be 'NoCommand,Invoke-SandboxedCommand'
            $short = @{ Sand = 'ReadOnly' }
            (Get-Refusal { Invoke-SandboxedCommand @short ls }).FullyQualifiedErrorId | Should -Be 'ParameterNotSpelledInFull,Invoke-SandboxedCommand'
        }

        It 'refuses what it cannot pass on exactly: --% and a list whose origin is unknown' {
            $e = Get-Refusal {
                Invoke-SandboxedCommand @common ./argv.sh --% a b
            }
            $e.FullyQualifiedErrorId | Should -Be 'StopParsingNotSupported,Invoke-SandboxedCommand'
            # Called from code, with no text of the call, a list cannot be told from a typed a,b.
            $ps = [powershell]::Create('CurrentRunspace')
            try {
                $null = $ps.AddCommand('Invoke-SandboxedCommand').AddArgument('./argv.sh').AddArgument(@('a', 'b'))
                $e = Get-Refusal { $ps.Invoke() }
            }
            finally { $ps.Dispose() }
            $e.Exception.InnerException.ErrorRecord.FullyQualifiedErrorId | Should -Be 'ListArgument,Invoke-SandboxedCommand'
        }

        It 'stops the caller''s script (a terminating error, as with -ErrorAction Stop) without running anything' {
            $marker = Join-Path $ws 'fd-refused'
            $out = Invoke-TestPwsh "Import-Module '$((Get-Module CodexSandbox).Path -replace '\.dll$', '.psd1')'; Invoke-SandboxedCommand -Sand WorkspaceWrite touch '$marker'; 'after'"
            ($out -join "`n") | Should -Match "Invoke-SandboxedCommand: .*'-Sand' comes before the program"
            $out | Should -Not -Contain 'after'
            Test-Path $marker | Should -BeFalse
        }
    }
}

Describe 'Tab completion through the front door' {
    It 'completes <Line>' -ForEach @(
        @{ Line = 'Invoke-SandboxedCommand -SandboxMode '; Expected = 'ReadOnly', 'WorkspaceWrite', 'DangerFullAccess' }
        @{ Line = 'Invoke-SandboxedCommand -ApprovalPolicy On'; Expected = 'OnFailure', 'OnRequest' }
        @{ Line = 'Invoke-SandboxedCommand -Force -SandboxMode Wor'; Expected = @('WorkspaceWrite') }
        @{ Line = 'Invoke-SandboxedCommand '; Expected = '-SandboxMode', '-NetworkAccess', '-Force', '-Command' }
        @{ Line = 'Invoke-SandboxedCommand -Force gre'; Expected = @('grep') }
    ) {
        $r = TabExpansion2 -inputScript $Line -cursorColumn $Line.Length
        $texts = @($r.CompletionMatches.CompletionText)
        foreach ($e in $Expected) { $texts | Should -Contain $e }
    }

    It 'completes nothing of ours after the program (the program''s words are file names there)' {
        $line = 'Invoke-SandboxedCommand ls -Sandbox'
        $r = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $r.CompletionMatches.CompletionText | Should -Not -Contain '-SandboxMode'
        $line = 'Invoke-SandboxedCommand ls '
        $r = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $r.CompletionMatches.CompletionText | Should -Not -Contain '-SandboxMode'
    }
}
