# The CI workflow cannot run on this machine, so its shape is checked here: it parses (YamlDotNet, as strictly as a
# runner reads it), it runs on Linux, Windows and macOS, and every system runs the README's test command unchanged.
# The same check is run on broken copies, so each rule is shown to fail when the workflow breaks it.
BeforeAll {
    $script:repo = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
    $script:workflowPath = Join-Path $repo '.github/workflows/ci.yml'

    # YamlDotNet is restored with Pester by tests/PesterRestore (build.ps1 restores it before the Pester run).
    $packages = ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
    $yamlDll = Join-Path $packages 'yamldotnet/16.3.0/lib/net8.0/YamlDotNet.dll'
    if (-not (Test-Path $yamlDll)) { throw "YamlDotNet is missing at ${yamlDll}: run dotnet restore tests/PesterRestore." }
    Add-Type -Path $yamlDll

    function script:ConvertFrom-YamlNode {
        # Mappings become ordered hashtables, sequences arrays, scalars strings; nothing is coerced, so 'on' stays 'on'.
        param($Node)
        switch ($Node.GetType().Name) {
            'YamlMappingNode' {
                $map = [ordered]@{}
                foreach ($pair in $Node.Children.GetEnumerator()) { $map[$pair.Key.Value] = ConvertFrom-YamlNode $pair.Value }
                return $map
            }
            'YamlSequenceNode' { return , @($Node.Children | ForEach-Object { ConvertFrom-YamlNode $_ }) }
            'YamlScalarNode' { return $Node.Value }
            default { throw "Unexpected YAML node $($Node.GetType().Name) at $($Node.Start)" }
        }
    }

    function script:Read-Yaml([string] $Text) {
        # Throws on a syntax error or a duplicate key, as the runner would refuse the file.
        $stream = [YamlDotNet.RepresentationModel.YamlStream]::new()
        $reader = [System.IO.StringReader]::new($Text)
        try { $stream.Load($reader) } finally { $reader.Dispose() }
        if ($stream.Documents.Count -ne 1) { throw "expected one YAML document, found $($stream.Documents.Count)" }
        ConvertFrom-YamlNode $stream.Documents[0].RootNode
    }

    function script:Get-ReadmeCommands {
        # The commands of the README's first fenced block: what a new user types first.
        $lines = Get-Content (Join-Path $repo 'README.md')
        $start = [array]::FindIndex($lines, [Predicate[string]] { param($l) $l -match '^```' })
        $end = [array]::FindIndex($lines, $start + 1, [Predicate[string]] { param($l) $l -match '^```' })
        @($lines[($start + 1)..($end - 1)] | Where-Object { $_.Trim() })
    }

    function script:Find-Step([object[]] $Steps, [scriptblock] $Match) {
        for ($i = 0; $i -lt $Steps.Count; $i++) { if (& $Match $Steps[$i]) { return $i } }
        -1
    }

    function script:Get-WorkflowProblem {
        # Every way the workflow text breaks the rules, as "<area>: <what>"; none means the shape is right.
        param([string] $Text, [string] $TestCommand, [string] $Sdk)
        try { $wf = Read-Yaml $Text } catch { return "yaml: $($_.Exception.Message)" }
        if (-not $wf.Contains('on')) { 'triggers: no on: section' }
        $isTest = { param($s) $s -is [System.Collections.IDictionary] -and $s.Contains('run') -and "$($s.run)".Trim() -eq $TestCommand }
        $jobs = @($wf.jobs.Values | Where-Object { $_.steps | Where-Object { & $isTest $_ } })
        if ($jobs.Count -ne 1) { return "command: $($jobs.Count) jobs run the README test command exactly ('$TestCommand'); expected 1" }
        $job = $jobs[0]
        $steps = @($job.steps)

        # The matrix: exactly the three systems, and nothing that gives one of them another job.
        if ($job.'runs-on' -ne '${{ matrix.os }}') { "matrix: runs-on is '$($job.'runs-on')', not `${{ matrix.os }}" }
        $matrix = $job.strategy.matrix
        $axes = @($matrix.Keys)
        if ($axes.Count -ne 1 -or $axes[0] -ne 'os') { "matrix: axes are '$($axes -join ', ')'; only os (an include, exclude or other axis can change what one system runs)" }
        $os = @($matrix.os)
        foreach ($family in 'ubuntu', 'windows', 'macos') {
            $n = @($os | Where-Object { "$_" -match "^$family-" }).Count
            if ($n -ne 1) { "matrix: $n $family runner(s) in '$($os -join ', ')'; expected 1" }
        }
        if ($os.Count -ne 3) { "matrix: $($os.Count) systems; expected 3" }
        if ("$($job.strategy.'fail-fast')" -ne 'false') { 'matrix: fail-fast is not false, so one failing system would cancel the others' }

        # The command: one step, the same on every system.
        $test = Find-Step $steps $isTest
        $step = $steps[$test]
        foreach ($key in 'if', 'continue-on-error', 'working-directory', 'shell') {
            if ($step.Contains($key)) { "command: the test step sets $key, so it may differ between systems or not count" }
            if ($key -in 'if', 'continue-on-error' -and $job.Contains($key)) { "command: the job sets $key" }
        }
        $shell = if ($job.defaults.run.shell) { $job.defaults.run.shell } else { $wf.defaults.run.shell }
        if ($shell -ne 'bash') { "command: the shell is '$shell', not bash (bash is on every hosted runner, Git Bash on Windows, so && and quoting mean the same)" }
        if ("$($step.env | ConvertTo-Json -Compress)$($job.env | ConvertTo-Json -Compress)" -match 'matrix\.|runner\.') { 'command: the environment of the test step depends on the system' }

        # Before the command: checkout first, the SDK of global.json, bubblewrap on Linux, the capability report.
        if ((Find-Step $steps { param($s) "$($s.uses)" -match '^actions/checkout@v\d+$' }) -ne 0) { 'setup: actions/checkout is not the first step' }
        $setup = Find-Step $steps { param($s) "$($s.uses)" -match '^actions/setup-dotnet@v\d+$' }
        if ($setup -lt 0 -or $setup -gt $test) { 'sdk: no actions/setup-dotnet step before the tests' }
        elseif (-not ($steps[$setup].with.'global-json-file' -eq 'global.json' -or $steps[$setup].with.'dotnet-version' -eq $Sdk)) { "sdk: setup-dotnet does not install global.json's SDK $Sdk" }
        $bwrap = Find-Step $steps { param($s) "$($s.run)" -match 'apt-get install .*\bbubblewrap\b' }
        if ($bwrap -lt 0 -or $bwrap -gt $test) { 'bubblewrap: not installed before the tests' }
        elseif ($steps[$bwrap].if -ne "runner.os == 'Linux'") { "bubblewrap: the install step runs under '$($steps[$bwrap].if)', not runner.os == 'Linux'" }
        $report = Find-Step $steps { param($s) "$($s.run)" -match '\./tools/Show-SandboxCapability\.ps1' }
        if ($report -lt 0 -or $report -gt $test) { 'capability: Get-SandboxCapability (tools/Show-SandboxCapability.ps1) is not printed before the tests' }
        elseif ($steps[$report].Contains('if')) { 'capability: the report does not run on every system' }
    }

    $script:readme = @(Get-ReadmeCommands)
    $script:testCommand = @($readme | Where-Object { $_ -match '(^|\s)\./build\.ps1 Test\s*$' })
    $script:sdk = (Get-Content -Raw (Join-Path $repo 'global.json') | ConvertFrom-Json).sdk.version
    # LF only, so the edits below match on a checkout with CRLF line ends (Git on Windows) as well.
    $script:text = (Get-Content -Raw $workflowPath) -replace "`r`n", "`n"
    $script:problems = @(Get-WorkflowProblem -Text $text -TestCommand "$testCommand".Trim() -Sdk $sdk)
}

Describe 'CI workflow (.github/workflows/ci.yml)' {
    It 'takes its test command from the README''s first block, which has exactly one' {
        $testCommand | Should -HaveCount 1 -Because "the README's first block is: $($readme -join ' | ')"
        $testCommand[0] | Should -Match '^dotnet tool restore && dotnet pwsh .*\./build\.ps1 Test$'
    }

    It 'has no <area> problem' -TestCases @(
        @{ area = 'yaml' }, @{ area = 'triggers' }, @{ area = 'command' }, @{ area = 'matrix' }, @{ area = 'setup' }
        @{ area = 'sdk' }, @{ area = 'bubblewrap' }, @{ area = 'capability' }
    ) {
        @($problems | Where-Object { $_ -like "${area}:*" }) | Should -BeNullOrEmpty
    }

    It 'finds the <area> problem in a copy where <change>' -TestCases @(
        @{ area = 'yaml'; change = 'a key is duplicated'; from = '(?m)^(\s+)timeout-minutes: (\d+)$'; to = "`$1timeout-minutes: `$2`n`$1timeout-minutes: `$2" }
        @{ area = 'matrix'; change = 'macOS is left out'; from = ', macos-latest\]'; to = ']' }
        @{ area = 'matrix'; change = 'an include adds a Windows variant'; from = '(?m)^(\s+)os: (\[.*\])$'; to = "`$1os: `$2`n`$1include:`n`$1  - os: windows-latest`n`$1    variant: other" }
        @{ area = 'matrix'; change = 'fail-fast is left at its default'; from = '(?m)^\s+fail-fast: false\n'; to = '' }
        @{ area = 'command'; change = 'the test step is skipped on Windows'; from = '(?m)^(\s+)run: (dotnet tool restore && dotnet pwsh -NoProfile \./build\.ps1 Test)$'; to = "`$1if: runner.os != 'Windows'`n`$1run: `$2" }
        @{ area = 'command'; change = 'the test command gets another switch'; from = 'dotnet pwsh -NoProfile \./build\.ps1 Test'; to = 'dotnet pwsh -NoProfile ./build.ps1 Test -Filter Ci' }
        @{ area = 'command'; change = 'the shell is pwsh'; from = '(?m)^(\s+)shell: bash$'; to = '$1shell: pwsh' }
        @{ area = 'sdk'; change = 'setup-dotnet installs another SDK'; from = 'global-json-file: global.json'; to = 'dotnet-version: 9.0.100' }
        @{ area = 'bubblewrap'; change = 'bubblewrap is installed on every system'; from = "(?m)^\s+if: runner\.os == 'Linux'\n"; to = '' }
        @{ area = 'capability'; change = 'the capability report is missing'; from = 'Show-SandboxCapability'; to = 'Show-Nothing' }
    ) {
        $broken = [regex]::Replace($text, $from, $to)
        $broken | Should -Not -Be $text -Because "the change '$change' must apply to the workflow text"
        $found = @(Get-WorkflowProblem -Text $broken -TestCommand "$testCommand".Trim() -Sdk $sdk)
        @($found | Where-Object { $_ -like "${area}:*" }) | Should -Not -BeNullOrEmpty -Because "found: $($found -join '; ')"
    }
}
