# Invoke-SandboxedCommand -Interactive under a real pseudo-terminal: util-linux `script -qec` runs a fresh PowerShell
# whose terminal is script's pty, and the test types into it (a prompt answered, Ctrl+C, exit codes) and reads what the
# terminal showed. Each layer (bubblewrap around the launcher, and the launcher alone) gets one session, whose
# transcript the tests below read part by part.
BeforeDiscovery {
    $script:noScript = if (-not $IsLinux) { 'the pseudo-terminal relay is Linux only' }
    elseif (-not (Get-Command script -CommandType Application -ErrorAction Ignore)) { 'util-linux script is not installed' }
    elseif (-not (Get-Command python3 -CommandType Application -ErrorAction Ignore)) { 'python3 (for the ioctl attempts) is not installed' }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:t = New-TestCodexHome
    $script:ws = (New-Item -ItemType Directory -Force (Join-Path $t.Root 'ws')).FullName
    $script:repo = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
    $script:module = (Resolve-Path $modulePath).Path

    function script:Invoke-InTerminal {
        # Runs `dotnet pwsh -File <script> <args>` on a new pseudo-terminal (script -qec) and plays the steps: each waits
        # until its text appears after the previous step's input, pauses, then types its input. Returns the transcript.
        param([string] $Script, [string[]] $Arguments, [object[]] $Steps, [int] $TimeoutSec = 150)
        $inner = "dotnet pwsh -NoProfile -File '$Script'" + (($Arguments | ForEach-Object { " '$_'" }) -join '')
        $psi = [Diagnostics.ProcessStartInfo]::new('script')
        foreach ($a in '-qec', $inner, '/dev/null') { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardInput = $true
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $psi.UseShellExecute = $false
        $psi.WorkingDirectory = $repo
        $process = [Diagnostics.Process]::Start($psi)
        $text = [Text.StringBuilder]::new()
        $from = 0
        $step = 0
        $buffer = [byte[]]::new(4096)
        $stream = $process.StandardOutput.BaseStream
        $read = $stream.ReadAsync($buffer, 0, $buffer.Length)
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
        try {
            while ([DateTime]::UtcNow -lt $deadline) {
                if ($read.Wait(200)) {
                    if ($read.Result -eq 0) { break }
                    $null = $text.Append([Text.Encoding]::UTF8.GetString($buffer, 0, $read.Result))
                    $read = $stream.ReadAsync($buffer, 0, $buffer.Length)
                }
                if ($step -lt $Steps.Count -and $text.ToString().IndexOf($Steps[$step].Wait, $from, [StringComparison]::Ordinal) -ge 0) {
                    Start-Sleep -Milliseconds (300 + 1000 * [double]($Steps[$step].Pause ?? 0))
                    $from = $text.Length
                    $bytes = [Text.Encoding]::UTF8.GetBytes($Steps[$step].Send)
                    $process.StandardInput.BaseStream.Write($bytes, 0, $bytes.Length)
                    $process.StandardInput.BaseStream.Flush()
                    $step++
                }
            }
        }
        finally {
            # End-of-file comes just before script exits; a session that never ends is killed, and says so.
            if (-not $process.WaitForExit(10000)) { $process.Kill($true); $null = $text.Append("`n<<TIMED OUT at step $step>>") }
            $process.WaitForExit()
        }
        # Terminal control sequences (cursor keys mode, the window title) are not part of what the tests read.
        $text.ToString() -replace "`e\][^`a]*`a", '' -replace "`e\[\?1[hl]`e?[=>]?", '' -replace "`e[=>]", ''
    }

    # One interactive session: a shell answering typed lines (tty, Ctrl+C during sleep, the exit code), the ioctl
    # injection attempts, processes left running in the background, the window size and its change.
    $script:session = Join-Path $t.Root 'session.ps1'
    Set-Content $session @'
param($Module, $Config, $WorkingDirectory)
$ErrorActionPreference = 'Stop'
Import-Module $Module
$p = @{ ConfigPath = $Config; WorkingDirectory = $WorkingDirectory; WarningAction = 'SilentlyContinue' }
$before = (& stty -g)
& stty rows 33 cols 101
$r = Invoke-SandboxedCommand @p -Interactive -Environment @{ PS1 = 'sbx> ' } sh
"RESULT-SH exit=$($r.ExitCode) interactive=$($r.Interactive) stdout=[$($r.Stdout)] backend=$($r.Backend) auditid=$($r.AuditId)"
($r.Enforcement | Where-Object { $_ -like 'new-session:*' }) -replace '^', 'SESSION '
"VIEW " + ($r | Out-String -Width 80).Trim()
"AUDIT " + (Get-SandboxAudit -Id $r.AuditId).Details['interactive']
$r = Invoke-SandboxedCommand @p -Interactive python3 -c @"
import fcntl, termios
for name, request in (('TIOCSTI', termios.TIOCSTI), ('TIOCLINUX', 0x541C)):
    try:
        fcntl.ioctl(0, request, b'\x0c')
        print(name, 'allowed')
    except OSError as e:
        print(name, 'errno', e.errno)
"@
"RESULT-IOCTL exit=$($r.ExitCode)"
$marker = Get-Random -Minimum 1000000 -Maximum 9999999
$r = Invoke-SandboxedCommand @p -Interactive -Command "sleep $marker & setsid sleep $($marker + 1) & echo started-background"
"RESULT-BG exit=$($r.ExitCode)"
Start-Sleep -Milliseconds 300
$left = @(Get-Process sleep -ErrorAction Ignore | Where-Object { $_.CommandLine -match "sleep ($marker|$($marker + 1))" }).Count
"SURVIVORS=$left"
# The window changes while the command runs: a process outside it resizes the caller's terminal once the command
# has marked the workspace, as a user dragging the window would.
$mark = Join-Path $WorkingDirectory 'resize-now'
Remove-Item $mark -ErrorAction Ignore
& sh -c "( while [ ! -e '$mark' ]; do sleep 0.1; done; stty rows 40 cols 120 </dev/tty ) >/dev/null 2>&1 &"
$r = Invoke-SandboxedCommand @p -SandboxMode WorkspaceWrite -Interactive -Command 'stty size; trap "stty size; exit 3" WINCH; touch resize-now; i=0; while [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; exit 4'
"RESULT-WINCH exit=$($r.ExitCode)"
& stty (@($before) -join ' ')
"RESTORED same=$((& stty -g) -eq $before)"
'ALIVE'
'@
}
AfterAll { Remove-Item -Recurse -Force $t.Root -ErrorAction SilentlyContinue }

Describe 'Invoke-SandboxedCommand -Interactive (<Layer>)' -Skip:([bool]$noScript) -ForEach @(
    @{ Layer = 'bubblewrap and launcher'; Namespaces = 'auto'; Backend = 'linux-bwrap' }
    @{ Layer = 'launcher alone'; Namespaces = 'off'; Backend = 'linux-launcher' }
) {
    BeforeAll {
        $script:skip = $null
        if ($Namespaces -eq 'auto' -and -not (Get-SandboxCapability).BwrapWorks) { $script:skip = 'bubblewrap does not work here' }
        $config = Join-Path $t.Root "config-$Namespaces.toml"
        Set-Content $config "[sandbox_workspace_write]`nexclude_slash_tmp = true`nexclude_tmpdir_env_var = true`n[sandbox_linux]`nnamespaces = '$Namespaces'"
        if (-not $skip) {
            $script:transcript = Invoke-InTerminal -Script $session -Arguments @($module, $config, $ws) -Steps @(
                @{ Wait = 'sbx> '; Send = "tty`r" }
                @{ Wait = 'sbx> '; Send = "printf '%s? ' name; read answer; echo `"hello, `$answer`"`r" }
                @{ Wait = 'name? '; Send = "world`r" }
                @{ Wait = 'sbx> '; Send = "sleep 100`r" }
                @{ Wait = 'sleep 100'; Pause = 1; Send = "`u{3}" }
                @{ Wait = 'sbx> '; Send = "echo interrupted-ok`r" }
                @{ Wait = 'sbx> '; Send = "exit 42`r" }
            )
        }
    }
    BeforeEach { if ($skip) { Set-ItResult -Skipped -Because $skip } }

    It 'gives the command a terminal: tty names one, and a typed line answers its prompt' {
        $transcript | Should -Match '(?m)^(/dev/pts/\d+|/dev/console)\r?$'
        $transcript | Should -Not -Match 'not a tty'
        $transcript | Should -Match 'hello, world'
    }

    It 'sends Ctrl+C to the command (the sleep in the shell), not to PowerShell, which prints the result' {
        $transcript | Should -Match 'interrupted-ok'
        $transcript | Should -Match 'RESULT-SH exit=42 '
        $transcript | Should -Match '(?m)^ALIVE'
    }

    It 'returns the result: exit code, backend, audit id, and no captured output' {
        $transcript | Should -Match "RESULT-SH exit=42 interactive=True stdout=\[\] backend=$Backend auditid=\S+"
        $transcript | Should -Match "SESSION new-session: the command's own session, whose controlling terminal is the run's private pseudo-terminal"
        # The default view prints no output (there is none captured) and says why; the audit record says it too.
        $transcript | Should -Match "VIEW \[exit 42 \| [\d.,]+ m?s \| $Backend \| interactive: output not captured\]"
        $transcript | Should -Match 'AUDIT the command had the terminal; its output was not captured'
    }

    It 'keeps terminal injection blocked: TIOCSTI and TIOCLINUX fail with EPERM' {
        $transcript | Should -Match 'TIOCSTI errno 1\b'
        $transcript | Should -Match 'TIOCLINUX errno 1\b'
        $transcript | Should -Not -Match 'TIOC\w+ allowed'
        $transcript | Should -Match 'RESULT-IOCTL exit=0'
    }

    It 'leaves nothing running that the command started in the background' {
        $transcript | Should -Match 'started-background'
        $transcript | Should -Match 'RESULT-BG exit=0'
        $transcript | Should -Match 'SURVIVORS=0'
    }

    It 'gives the command the caller''s window size, follows its changes, and restores the caller''s terminal afterwards' {
        $transcript | Should -Match '(?m)^33 101\r?$'
        $transcript | Should -Match '(?m)^40 120\r?$'
        $transcript | Should -Match 'RESULT-WINCH exit=3'
        $transcript | Should -Match 'RESTORED same=True'
    }
}

Describe 'Invoke-SandboxedCommand -Interactive without a terminal' {
    BeforeAll {
        $script:cfg = Join-Path $t.Root 'plain.toml'
        Set-Content $cfg "[sandbox_workspace_write]`nexclude_slash_tmp = true`nexclude_tmpdir_env_var = true"
    }

    It 'stops with TerminalUnavailable, naming the fix, and runs nothing' {
        # Pester's own process has redirected streams when run by the build, but not always: a child with stdin from
        # a pipe and stdout to a pipe is sure to have no terminal.
        $out = Invoke-TestPwsh -Command @"
Import-Module '$module'
`$env:CODEX_HOME = '$($t.CodexHome)'
try { Invoke-SandboxedCommand -ConfigPath '$cfg' -WorkingDirectory '$ws' -Interactive sh -c 'echo ran > ran.txt'; 'NO ERROR' }
catch { 'ID=' + `$_.FullyQualifiedErrorId; 'CATEGORY=' + `$_.CategoryInfo.Category; 'FIX=' + `$_.ErrorDetails.RecommendedAction; `$_.Exception.Message }
"@ | Out-String
        $out | Should -Match 'ID=TerminalUnavailable,'
        $out | Should -Match 'CATEGORY=ResourceUnavailable'
        $out | Should -Match 'FIX=Run it without -Interactive'
        $out | Should -Match 'needs a terminal'
        $out | Should -Not -Match 'NO ERROR'
        Join-Path $ws 'ran.txt' | Should -Not -Exist
    }

    It 'refuses -Interactive with -Stream, and with command lines from the pipeline' {
        { Invoke-SandboxedCommand -ConfigPath $cfg -WorkingDirectory $ws -Interactive -Stream sh } |
            Should -Throw -ErrorId 'InteractiveConflict,CodexSandbox.Commands.InvokeSandboxedCommandCommand'
        { 'echo x' | Invoke-SandboxedCommand -ConfigPath $cfg -WorkingDirectory $ws -Interactive } |
            Should -Throw -ErrorId 'InteractiveConflict,CodexSandbox.Commands.InvokeSandboxedCommandCommand'
    }
}
