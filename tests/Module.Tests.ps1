BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:module = Get-Module CodexSandbox
}

Describe 'CodexSandbox module' {
    It 'exports exactly the cmdlets its assembly defines, Invoke-SandboxedCommand through its front-door function' {
        $inAssembly = $module.ImplementingAssembly.GetTypes() |
            Where-Object { $_.IsPublic -and -not $_.IsAbstract -and $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object { $a = $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]; "$($a.VerbName)-$($a.NounName)" }
        $manifest = Import-PowerShellDataFile (Join-Path $module.ModuleBase 'CodexSandbox.psd1')
        $manifest.FunctionsToExport | Should -Be @('Invoke-SandboxedCommand')
        (@($manifest.CmdletsToExport) + $manifest.FunctionsToExport | Sort-Object) | Should -Be ($inAssembly | Sort-Object)
        (@($module.ExportedCmdlets.Keys) + $module.ExportedFunctions.Keys | Sort-Object) | Should -Be ($inAssembly | Sort-Object)
        $module.ExportedCmdlets.Keys | Should -Not -Contain 'Invoke-SandboxedCommand'
    }

    It 'has one command named Invoke-SandboxedCommand: the front door, with the output type and help of the cmdlet' {
        $all = @(Get-Command Invoke-SandboxedCommand -All)
        $all.Count | Should -Be 1
        $all[0].CommandType | Should -Be 'Function'
        $all[0].CmdletBinding | Should -BeFalse -Because 'an advanced function would bind (and abbreviate) parameters and add the common ones'
        $all[0].Parameters.Count | Should -Be 0
        $all[0].OutputType.Name | Should -Be 'CodexSandbox.SandboxResult'
        $all[0].OutputType.Type | Should -Be ([CodexSandbox.SandboxResult])
        @(Get-Help Invoke-SandboxedCommand).Count | Should -Be 1 -Because 'one topic, not a list of two'
        (Get-Help Invoke-SandboxedCommand).Synopsis | Should -BeLike 'Decides, approves and runs*'
    }

    It 'keeps the cmdlets thin: Invoke-SandboxedCommand''s cmdlet under 150 lines, its run flow in the engine' {
        $source = Join-Path $PSScriptRoot '../src/CodexSandbox/Commands/InvokeSandboxedCommandCommand.cs'
        @(Get-Content $source).Count | Should -BeLessThan 150 -Because 'the sequence of a run belongs to CommandRun (issue 15)'
        Get-Content -Raw $source | Should -Match '_run!\.Run\(' -Because 'the cmdlet hands the run to the engine'
    }

    It 'keeps the engine and Tomlyn out of the default load context' {
        Get-SandboxPolicy | Out-Null   # forces the engine to load
        $engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'CodexSandbox.Engine' }
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($engine).Name | Should -Be 'CodexSandbox.Engine'
        Test-Path (Join-Path $module.ModuleBase 'Tomlyn.dll') | Should -BeFalse
        Test-Path (Join-Path $module.ModuleBase 'Dependencies/Tomlyn.dll') | Should -BeTrue
    }

    It 'works while a different Tomlyn version is already loaded in the session' {
        $dir = Join-Path ([IO.Path]::GetTempPath()) "cxsb-fake-tomlyn-$PID"
        New-Item -ItemType Directory -Force $dir | Out-Null
        $fake = Join-Path $dir 'Tomlyn.dll'
        if (-not (Test-Path $fake)) {
            Add-Type -OutputAssembly $fake -TypeDefinition @'
[assembly: System.Reflection.AssemblyVersion("9.0.0.0")]
namespace Tomlyn.Model { public class TomlTable { public static string Fake => "9"; } }
'@
        }
        $t = New-TestCodexHome
        Set-Content (Join-Path $t.CodexHome 'config.toml') "sandbox_mode = 'workspace-write'"
        $script = @"
Add-Type -Path '$fake'
if ([Tomlyn.Model.TomlTable]::Fake -ne '9') { throw 'fake Tomlyn not loaded' }
Import-Module '$($module.Path -replace '\.dll$', '.psd1')'
(Get-SandboxPolicy -WorkingDirectory '$($t.Root)').SandboxMode.ToString()
"@
        $out = @(Invoke-TestPwsh $script)
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        $out[-1] | Should -Be 'WorkspaceWrite'
        Remove-Item -Recurse -Force $t.Root, $dir -ErrorAction SilentlyContinue
    }

    It 'lets go of the audit log file when the module is removed' -Skip:(-not $IsLinux) {
        $t = New-TestCodexHome
        $logDir = Join-Path $t.CodexHome 'log'
        $script = @"
Import-Module '$($module.Path -replace '\.dll$', '.psd1')'
function Test-Held { @(Get-ChildItem "/proc/`$PID/fd" | ForEach-Object LinkTarget | Where-Object { `$_ -like '$logDir/*' }).Count -gt 0 }
`$null = Invoke-SandboxedCommand -WorkingDirectory '$($t.Root)' -SandboxMode ReadOnly -Force -Command 'true'
"held after a run: `$(Test-Held)"
Remove-Module CodexSandbox
"held after Remove-Module: `$(Test-Held)"
"@
        $out = @(Invoke-TestPwsh $script)
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        $out | Should -Contain 'held after a run: True' -Because 'the writer keeps the active file open between runs (else this test proves nothing)'
        $out | Should -Contain 'held after Remove-Module: False'
        Remove-Item -Recurse -Force $t.Root -ErrorAction SilentlyContinue
    }

    It 'has a format view for every output type' {
        $formatted = (Get-FormatData -TypeName 'CodexSandbox.*').TypeNames
        foreach ($cmd in Get-Command -Module CodexSandbox) {
            foreach ($type in $cmd.OutputType.Type | Where-Object { $_.Namespace -eq 'CodexSandbox' }) {
                $formatted | Should -Contain $type.FullName
            }
        }
    }
}
