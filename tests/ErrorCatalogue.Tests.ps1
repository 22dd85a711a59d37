# The error catalogue (src/CodexSandbox/Internal/Errors.cs): every ErrorId the cmdlets report is defined there once,
# with one category and its fix, and no cmdlet makes an ErrorRecord any other way.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:repo = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
    $assembly = [CodexSandbox.Commands.InvokeSandboxedCommandCommand].Assembly
    $errors = $assembly.GetType('CodexSandbox.Internal.Errors', $true)
    $script:kinds = @($errors.GetFields([Reflection.BindingFlags]'Public,Static') |
        Where-Object { $_.FieldType.FullName -eq 'CodexSandbox.Internal.ErrorKind' } |
        ForEach-Object { [pscustomobject]@{ Field = $_.Name; Kind = $_.GetValue($null) } })
    $script:catalogue = Join-Path $repo 'src/CodexSandbox/Internal/Errors.cs'
    $script:sources = @(Get-ChildItem (Join-Path $repo 'src/CodexSandbox') -Recurse -Filter *.cs | Where-Object FullName -NotLike '*/obj/*')
    $script:scripts = @(Get-ChildItem (Join-Path $repo 'module') -Filter *.psm1)
}

Describe 'The error catalogue' {
    It 'holds the kinds the cmdlets use' {
        $kinds.Count | Should -BeGreaterThan 20
        $kinds.Field | Should -Contain 'AuditLogUnavailable'
        $kinds.Field | Should -Contain 'SandboxUnavailable'
    }

    It 'defines each ErrorId once, under its own name' {
        foreach ($k in $kinds) { $k.Kind.Id | Should -BeExactly $k.Field }
        $duplicates = $kinds.Kind.Id | Group-Object | Where-Object Count -GT 1
        $duplicates | Should -BeNullOrEmpty
    }

    It 'gives every kind a category and a fix' {
        foreach ($k in $kinds) {
            $k.Kind.Category | Should -Not -Be ([System.Management.Automation.ErrorCategory]::NotSpecified) -Because $k.Field
            $k.Kind.Remedy | Should -Not -BeNullOrEmpty -Because $k.Field
            $k.Kind.Remedy | Should -Match '\.$' -Because "the fix of $($k.Field) is a sentence"
        }
    }

    It 'keeps audit-log failures apart from an unavailable sandbox' {
        $audit = ($kinds | Where-Object Field -EQ 'AuditLogUnavailable').Kind
        $audit.Category | Should -Be 'WriteError'
        $audit.Remedy | Should -Match 'required = false'
        ($kinds | Where-Object Field -EQ 'SandboxUnavailable').Kind.Remedy | Should -Not -Match 'audit'
    }

    It 'is the only place that makes an ErrorRecord' {
        $elsewhere = $sources | Where-Object FullName -NE $catalogue |
            Select-String -Pattern 'new\s+ErrorRecord\s*\(', 'new\s+ErrorDetails\s*\(', 'ErrorRecord\s+\w+\s*=\s*new\s*\('
        $elsewhere | Should -BeNullOrEmpty
        $scripts | Select-String -Pattern '-ErrorId\b', 'ErrorRecord\]::new' | Should -BeNullOrEmpty
    }

    It 'passes no literal ErrorId anywhere in the cmdlets' {
        # An id is written once, as nameof() in the catalogue: a quoted id elsewhere would be a second definition.
        $quoted = foreach ($k in $kinds) { $sources | Select-String -SimpleMatch "`"$($k.Field)`"" }
        $quoted | Should -BeNullOrEmpty
    }

    It 'names a catalogue kind in every Errors.Record call of the cmdlets' {
        # A helper that takes an ErrorKind (the front door's Refuse) passes its own; its callers must name one.
        $calls = foreach ($file in $sources | Where-Object FullName -NE $catalogue) {
            $text = Get-Content -Raw $file.FullName
            $wrappers = [regex]::Matches($text, '(\w+)\(ErrorKind kind\b') | ForEach-Object { $_.Groups[1].Value }
            $names = @('Errors\.Record') + $wrappers
            foreach ($m in [regex]::Matches($text, "(?<!ErrorKind\s)\b(?:$($names -join '|'))\((?<args>[^;]*)")) {
                if ($wrappers -and $m.Groups['args'].Value -match '\bkind\b') { continue }
                [pscustomobject]@{ File = $file.Name; Call = $m.Value }
            }
        }
        @($calls).Count | Should -BeGreaterThan 20
        foreach ($call in $calls) {
            $named = [regex]::Matches($call.Call, '\bErrors\.(\w+)\b') | ForEach-Object { $_.Groups[1].Value } | Where-Object { $_ -in $kinds.Field }
            @($named).Count | Should -Be 1 -Because "$($call.File): $($call.Call)"
        }
    }

    It 'uses every kind it defines' {
        $text = ($sources | Where-Object FullName -NE $catalogue | Get-Content -Raw) -join "`n"
        $own = Get-Content -Raw $catalogue
        foreach ($k in $kinds) {
            $used = $text -match "Errors\.$($k.Field)\b" -or ([regex]::Matches($own, "\b$($k.Field)\b").Count -gt 2)
            $used | Should -BeTrue -Because "$($k.Field) is defined but never reported"
        }
    }

    It 'documents every ErrorId in the help pages' {
        $docs = (Get-ChildItem (Join-Path $repo 'docs/en-US') -Filter *.md | Get-Content -Raw) -join "`n"
        foreach ($k in $kinds) { $docs | Should -Match "``$($k.Field)``" -Because "$($k.Field) should be named in docs/en-US" }
    }
}
