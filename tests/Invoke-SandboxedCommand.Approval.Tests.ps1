BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:t = New-TestCodexHome
    $script:ws = (New-Item -ItemType Directory -Force (Join-Path $t.Root 'ws')).FullName
    $script:cfg = Join-Path $t.Root 'config.toml'
    Set-Content $cfg "[sandbox_workspace_write]`nexclude_slash_tmp = true`nexclude_tmpdir_env_var = true`n[sandbox_rollback]`ncheckpoint = 'never'"
    $script:common = @{ ConfigPath = $cfg; WorkingDirectory = $ws; WarningAction = 'SilentlyContinue' }
}
AfterAll { Remove-Item -Recurse -Force $t.Root -ErrorAction SilentlyContinue }

Describe 'Approvals in Invoke-SandboxedCommand' {
    It 'fails with a terminating ApprovalRequired in a session that cannot prompt, naming -Force' {
        # Terminating: -ErrorAction SilentlyContinue does not turn it into a run that seemed to succeed.
        $err = @({ Invoke-SandboxedCommand -ApprovalPolicy Untrusted -SandboxMode WorkspaceWrite @common -ErrorAction SilentlyContinue -- touch ./x } |
            Should -Throw -PassThru)
        $err[0].FullyQualifiedErrorId | Should -Be 'ApprovalRequired,CodexSandbox.Commands.InvokeSandboxedCommandCommand'
        $err[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $err[0].ErrorDetails.RecommendedAction | Should -Match '-Force'
        $err[0].Exception.Message | Should -Match 'untrusted'
        Test-Path (Join-Path $ws 'x') | Should -BeFalse
    }

    It 'runs with -Force and records the source' {
        $r = Invoke-SandboxedCommand -ApprovalPolicy Untrusted -SandboxMode WorkspaceWrite -Force @common -- touch ./x
        $r.ExitCode | Should -Be 0
        $r.Decision | Should -Be 'Prompt'
        $r.DecisionSource | Should -Be 'Force'
        Test-Path (Join-Path $ws 'x') | Should -BeTrue
    }

    It 'runs a known-safe command without asking under untrusted' {
        $r = Invoke-SandboxedCommand -ApprovalPolicy Untrusted ls @common
        $r.Decision | Should -Be 'Allow'
        $r.DecisionSource | Should -Be 'Policy'
    }

    It 'rejects a forbidden rule with CommandRejected and its justification, even with -Force' {
        $rules = New-Item -ItemType Directory -Force (Join-Path $t.CodexHome 'rules')
        Set-Content (Join-Path $rules 'default.rules') 'prefix_rule(pattern = ["curl"], decision = "forbidden", justification = "no downloads in the sandbox")'
        try {
            Invoke-SandboxedCommand -Force -ConfigPath $cfg -WorkingDirectory $ws -ErrorVariable err -ErrorAction SilentlyContinue curl x | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -Be 'CommandRejected,CodexSandbox.Commands.InvokeSandboxedCommandCommand'
            $err[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
            $err[0].Exception.Message | Should -Match 'no downloads in the sandbox'
        }
        finally { Remove-Item -Recurse -Force $rules }
    }

    It 'rejects a dangerous command under never' {
        Invoke-SandboxedCommand -ApprovalPolicy Never -Command 'rm -rf ./nothing' @common -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'CommandRejected,*'
    }

    It 'rejects -RequestUnsandboxed outside on-request, and asks (needs -Force) under on-request' {
        Invoke-SandboxedCommand -RequestUnsandboxed -Justification 'needs docker' -ApprovalPolicy Never -ErrorVariable err -ErrorAction SilentlyContinue true @common
        $err[0].FullyQualifiedErrorId | Should -BeLike 'CommandRejected,*'
        $err2 = @({ Invoke-SandboxedCommand -RequestUnsandboxed -Justification 'needs docker' -ApprovalPolicy OnRequest -Command 'echo $CODEX_SANDBOX' @common } | Should -Throw -PassThru)
        $err2[0].FullyQualifiedErrorId | Should -BeLike 'ApprovalRequired,*'
        $err2[0].Exception.Message | Should -Match 'needs docker'
        $r = Invoke-SandboxedCommand -RequestUnsandboxed -Justification 'needs docker' -ApprovalPolicy OnRequest -Force -Command 'echo "[$CODEX_SANDBOX]"' @common
        $r.Escalated | Should -BeTrue
        $r.Backend | Should -Be 'none'
        $r.Stdout | Should -Be "[]`n"
    }

    It 'asks before <line> under untrusted, so nothing is written (attack-2026-12 A1)' -TestCases @(
        @{ line = 'uniq in.txt uniq-written'; file = 'uniq-written' }
        @{ line = "sed -n 1p '-e1e touch sed-e-ran'"; file = 'sed-e-ran' }
        @{ line = "sed -n 1p '--expression=w sed-w-written'"; file = 'sed-w-written' }
    ) {
        Set-Content (Join-Path $ws 'in.txt') 'a', 'a', 'b'
        Set-Content (Join-Path $ws '1p') 'x'
        $err = @({ Invoke-SandboxedCommand -ApprovalPolicy Untrusted -SandboxMode WorkspaceWrite -Command $line @common } | Should -Throw -PassThru)
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ApprovalRequired,*'
        Test-Path (Join-Path $ws $file) | Should -BeFalse
    }

    It 'asks before a known-safe command leaves the sandbox under on-request (Codex #20305)' {
        $err = @({ Invoke-SandboxedCommand -RequestUnsandboxed -Justification 'needs the host view' -ApprovalPolicy OnRequest -Command 'ls' @common } | Should -Throw -PassThru)
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ApprovalRequired,*'
        $err[0].Exception.Message | Should -Match 'needs the host view'
        $r = Invoke-SandboxedCommand -RequestUnsandboxed -Justification 'needs the host view' -ApprovalPolicy OnRequest -Force -Command 'ls' @common
        $r.Decision | Should -Be 'Prompt'
        $r.DecisionSource | Should -Be 'Force'
        $r.Escalated | Should -BeTrue
        (Invoke-SandboxedCommand -ApprovalPolicy OnRequest -Command 'ls' @common).Decision | Should -Be 'Allow'
    }

    It 'runs a heredoc with a file redirect inside the sandbox although an allow rule names its command (Codex #20113)' {
        $rules = New-Item -ItemType Directory -Force (Join-Path $t.CodexHome 'rules')
        Set-Content (Join-Path $rules 'default.rules') 'prefix_rule(pattern = ["cat"], decision = "allow")'
        try {
            $line = "cat <<'EOF' > heredoc-out.txt`nwritten`nEOF"
            $r = Invoke-SandboxedCommand -SandboxMode ReadOnly -ApprovalPolicy OnRequest -Command $line @common -ErrorAction SilentlyContinue
            $r.Escalated | Should -BeFalse
            $r.Backend | Should -Not -Be 'none'
            $r.Succeeded | Should -BeFalse
            Test-Path (Join-Path $ws 'heredoc-out.txt') | Should -BeFalse
            $line2 = "PATH=/tmp/evil:`$PATH cat <<'EOF'`nhello`nEOF"
            (Invoke-SandboxedCommand -SandboxMode ReadOnly -ApprovalPolicy OnRequest -Command $line2 @common).Escalated | Should -BeFalse
            # the plain heredoc is `cat` reading its body: the allow rule runs it without the sandbox, as in Codex
            (Invoke-SandboxedCommand -SandboxMode ReadOnly -ApprovalPolicy OnRequest -Command "cat <<'EOF'`nhi`nEOF" @common).Escalated | Should -BeTrue
            # with an escalation request the redirecting heredoc asks
            $err = @({ Invoke-SandboxedCommand -RequestUnsandboxed -Justification 'write outside' -ApprovalPolicy OnRequest -Command $line @common } | Should -Throw -PassThru)
            $err[0].FullyQualifiedErrorId | Should -BeLike 'ApprovalRequired,*'
        }
        finally { Remove-Item -Recurse -Force $rules }
    }

    It 'refuses every run while a rules file is broken, naming the file, line and column' {
        $rules = New-Item -ItemType Directory -Force (Join-Path $t.CodexHome 'rules')
        $bad = Join-Path $rules 'default.rules'
        Set-Content $bad "prefix_rule(pattern = [`"curl`"], decision = `"forbidden`")`n`nprefix_rule(pattern = [`"wget`"]"
        try {
            foreach ($run in @(
                    { Invoke-SandboxedCommand -Command 'touch ./rules-broken-marker' -SandboxMode WorkspaceWrite -Force @common -ErrorAction Stop },
                    { Invoke-SandboxedCommand -Command 'curl x' -Force @common -ErrorAction Stop })) {
                $err = $null
                try { & $run } catch { $err = $_ }
                $err.FullyQualifiedErrorId | Should -Be 'RulesParseError,CodexSandbox.Commands.InvokeSandboxedCommandCommand'
                $err.CategoryInfo.Category | Should -Be 'ParserError'
                $err.Exception.Message | Should -Match ([regex]::Escape($bad) + ':\d+:\d+: ')
                $err.ErrorDetails.RecommendedAction | Should -Match 'No command runs'
            }
            Test-Path (Join-Path $ws 'rules-broken-marker') | Should -BeFalse
            Set-Content $bad 'prefix_rule(pattern = ["curl"], decision = "forbidden", match = ["wget x"])'
            { Invoke-SandboxedCommand -Command 'ls' @common } | Should -Throw -ErrorId 'RulesExampleFailed,CodexSandbox.Commands.InvokeSandboxedCommandCommand'
            Set-Content $bad 'prefix_rule(pattern = ["curl"], decision = "forbidden")'
            (Invoke-SandboxedCommand -Command 'ls' @common).ExitCode | Should -Be 0
        }
        finally { Remove-Item -Recurse -Force $rules }
    }

    It 'shows the decision with -WhatIf and never prompts' {
        $out = Invoke-SandboxedCommand -ApprovalPolicy Untrusted -SandboxMode WorkspaceWrite -WhatIf @common -- touch ./whatif
        $out | Should -BeNullOrEmpty
        Test-Path (Join-Path $ws 'whatif') | Should -BeFalse
    }

    It 'runs with -Confirm:$false when nothing needs approval' {
        (Invoke-SandboxedCommand -Confirm:$false ls @common).ExitCode | Should -Be 0
    }
}

Describe 'Interactive approval prompts' {
    # A real console prompt: a child pwsh (not -NonInteractive) reads the answer from its standard input.
    BeforeAll {
        $script:module = (Get-Module CodexSandbox).Path -replace '\.dll$', '.psd1'
        $script:ask = Join-Path $t.Root 'ask.ps1'
        Set-Content $ask @"
param([string] `$Name)
Import-Module '$module'
`$r1 = Invoke-SandboxedCommand -ApprovalPolicy Untrusted -SandboxMode WorkspaceWrite -ConfigPath '$cfg' -WorkingDirectory '$ws' -- touch "./`$Name"
"first=`$(`$r1.ExitCode)/`$(`$r1.DecisionSource)/`$(Test-Path (Join-Path '$ws' `$Name))"
`$r2 = Invoke-SandboxedCommand -ApprovalPolicy Untrusted -SandboxMode WorkspaceWrite -ConfigPath '$cfg' -WorkingDirectory '$ws' -- touch "./`$Name"
"second=`$(`$r2.ExitCode)/`$(`$r2.DecisionSource)"
if (`$Error.Count) { "error=`$(`$Error[0].FullyQualifiedErrorId)" }
# Another runspace of this process (a hosted one: it cannot prompt) does not share this session's "Yes to All".
`$other = [powershell]::Create()
`$null = `$other.AddScript("Import-Module '$module'; ```$ErrorActionPreference = 'Stop'; try { ```$r = Invoke-SandboxedCommand -ApprovalPolicy Untrusted -SandboxMode WorkspaceWrite -ConfigPath '$cfg' -WorkingDirectory '$ws' -- touch './`$Name'; 'ran/' + ```$r.DecisionSource } catch { ```$_.FullyQualifiedErrorId }")
"other=`$(`$other.Invoke())"
"@
        function script:Invoke-Answered([string] $Answers, [string] $Name) {
            Push-Location (Join-Path $PSScriptRoot '..')
            try { ($Answers -split ',') | & dotnet pwsh -NoProfile -File $ask -Name $Name 2>&1 | ForEach-Object { "$_" } }
            finally { Pop-Location }
        }
    }

    It 'runs after Yes, and asks again for the next command' {
        $out = Invoke-Answered 'y,y' 'p1'
        $out | Should -Contain 'first=0/User/True'
        $out | Should -Contain 'second=0/User'
        ($out -join "`n") | Should -Match '\(default is "N"\)'   # a security prompt defaults to No
    }

    It 'remembers Yes to All for the same command in the session' {
        $out = Invoke-Answered 'a' 'p2'
        $out | Should -Contain 'first=0/User/True'
        $out | Should -Contain 'second=0/Session'
        ($out -join "`n") | Should -Match 'other=ApprovalRequired' -Because 'Yes to All belongs to the runspace that answered'
    }

    It 'does not run after No, and says so' {
        $out = Invoke-Answered 'n,n' 'p3'
        ($out -join "`n") | Should -Match 'first=/+False'
        $out | Should -Contain 'error=ApprovalDenied,CodexSandbox.Commands.InvokeSandboxedCommandCommand'
        Test-Path (Join-Path $ws 'p3') | Should -BeFalse
    }
}

Describe 'Retry without the sandbox after a likely denial (on-failure)' {
    BeforeAll {
        $script:module = (Get-Module CodexSandbox).Path -replace '\.dll$', '.psd1'
        # outside the host's temporary folders: the sandbox gets a private /tmp, where this folder would not exist at all
        # (ENOENT, not a denial), so it lives where it stays visible and read-only inside, like a real folder beside a project
        $script:outside = (New-Item -ItemType Directory -Force (Join-Path (Get-TestBase) "outside-retry-$([guid]::NewGuid().ToString('n').Substring(0, 8))")).FullName
        $script:retry = Join-Path $t.Root 'retry.ps1'
        Set-Content $retry @"
param([string] `$Name)
Import-Module '$module'
`$r = Invoke-SandboxedCommand -ApprovalPolicy OnFailure -SandboxMode WorkspaceWrite -ConfigPath '$cfg' -WorkingDirectory '$ws' -- touch "$outside/`$Name"
"result=`$(`$r.ExitCode)/`$(`$r.Escalated)/`$(`$r.Backend)/`$(Test-Path "$outside/`$Name")"
"@
    }

    AfterAll { Remove-Item -Recurse -Force $outside -ErrorAction SilentlyContinue }

    It 'reruns unsandboxed after Yes, with Escalated set' {
        Push-Location (Join-Path $PSScriptRoot '..')
        try { $out = 'y' | & dotnet pwsh -NoProfile -File $retry -Name r1 2>&1 | ForEach-Object { "$_" } }
        finally { Pop-Location }
        ($out -join "`n") | Should -Match 'Run it again WITHOUT the sandbox'
        $out | Should -Contain 'result=0/True/none/True'
    }

    It 'keeps the sandboxed failure after No' {
        Push-Location (Join-Path $PSScriptRoot '..')
        try { $out = 'n' | & dotnet pwsh -NoProfile -File $retry -Name r2 2>&1 | ForEach-Object { "$_" } }
        finally { Pop-Location }
        ($out -join "`n") | Should -Match 'result=1/False/linux-\w+/False'
    }

    It 'does not retry in a session that cannot prompt, even with -Force' {
        $r = Invoke-SandboxedCommand -ApprovalPolicy OnFailure -SandboxMode WorkspaceWrite -Force @common -- touch (Join-Path $outside 'r3')
        $r.LikelySandboxDenial | Should -BeTrue
        $r.Escalated | Should -BeFalse
        Test-Path (Join-Path $outside 'r3') | Should -BeFalse
    }
}
