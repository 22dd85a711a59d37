BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:names = (Get-Command -Module CodexSandbox).Name
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:module = Get-Module CodexSandbox
    $script:repo = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
    $script:cmdlets = (Get-Command -Module CodexSandbox).Name
}

Describe 'Help' {
    It 'matches the compiled cmdlets exactly (no missing page, parameter, set or type)' {
        $json = Join-Path ([IO.Path]::GetTempPath()) "cxsb-commands-$PID.json"
        $export = Join-Path $repo 'tools/CodexSandbox.HelpBuilder/Export-CommandMetadata.ps1'
        $out = Invoke-TestPwsh "& '$export' -ModulePath '$($module.Path -replace '\.dll$', '.psd1')' -OutFile '$json'"
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        $builder = Join-Path $repo 'artifacts/bin/CodexSandbox.HelpBuilder/release/CodexSandbox.HelpBuilder.dll'
        $report = & dotnet $builder --check-parameters $json (Join-Path $repo 'docs/en-US') 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($report -join "`n")
        Remove-Item $json -ErrorAction SilentlyContinue
    }

    It 'gives <_> a real synopsis, at least two examples and a description for every parameter' -ForEach $names {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeLike "$_ *"   # the generated fallback starts with the syntax
        $help.Synopsis.Length | Should -BeGreaterThan 10
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        foreach ($p in $help.Parameters.Parameter) {
            ($p.Description.Text -join '') | Should -Not -BeNullOrEmpty -Because "-$($p.Name) of $_ needs a description"
        }
    }

    It 'documents -<Parameter> of Get-SandboxPolicy on its own' -ForEach @(@{ Parameter = 'SandboxMode' }, @{ Parameter = 'Profile' }) {
        (Get-Help Get-SandboxPolicy -Parameter $Parameter).Description.Text | Should -Not -BeNullOrEmpty
    }

    It 'says how the two forms of Invoke-SandboxedCommand differ, and shows -FilePath by name only' {
        $help = Get-Help Invoke-SandboxedCommand -Full
        $text = ($help | Out-String) -replace '\s+', ' '
        $text | Should -Match 'Invoke-SandboxedCommand \[parameters\] \[--\] <program> <arguments>'
        $text | Should -Match 'every word after it is the program''s'
        $text | Should -Match 'spelled in full'
        $text | Should -Match '-FilePath <program> -ArgumentList'
        $text | Should -Match 'ParameterNotSpelledInFull'
        ($help.Syntax.SyntaxItem | Where-Object { $_.Parameter.Name -contains 'FilePath' }).Parameter |
            Where-Object Name -in 'FilePath', 'ArgumentList' | ForEach-Object { $_.Position | Should -Be 'named' }
        (Get-Help about_CodexSandbox | Out-String) | Should -Match 'its flags are its own'
    }

    It 'has the about topic' {
        $about = Get-Help about_CodexSandbox
        ($about | Out-String) | Should -Match 'Approvals in scripts and CI'
    }

    It 'has the configuration about topic, made from docs/configuration.md' {
        $topic = Get-Help about_CodexSandbox_Configuration
        $text = ($topic | Out-String) -replace '\s+', ' '
        $text | Should -Match 'Every key CodexSandbox reads'
        $text | Should -Match 'requirements\.toml: constraints for every user of a machine'
        $text | Should -Match 'Rolling one policy out to a fleet'
        $text | Should -Match 'sandbox_limits\.cpu_seconds'
        Test-Path (Join-Path $module.ModuleBase 'en-US/about_CodexSandbox_Configuration.help.txt') | Should -BeTrue
        (Get-Help about_CodexSandbox* | Where-Object Name -EQ 'about_CodexSandbox_Configuration').Synopsis | Should -Match 'Every key'
    }

    It 'ships the help file under en-US exactly (the folder name is case-sensitive on Linux)' {
        Test-Path (Join-Path $module.ModuleBase 'en-US/CodexSandbox.dll-Help.xml') | Should -BeTrue
        (Get-Command Get-SandboxPolicy).HelpFile | Should -BeLike '*CodexSandbox.dll-Help.xml'
    }
}
