# Dot-sourced by every *.Tests.ps1: imports the staged module once, and gives each test an isolated Codex home.
$modulePath = $env:CODEXSANDBOX_TEST_MODULE
if (-not $modulePath) {
    $version = (Import-PowerShellDataFile (Join-Path $PSScriptRoot '../CodexSandbox.psd1')).ModuleVersion
    $modulePath = Join-Path $PSScriptRoot "../out/CodexSandbox/$version/CodexSandbox.psd1"
}
if (-not (Get-Module CodexSandbox)) { Import-Module $modulePath -ErrorAction Stop }

function New-TestCodexHome {
    # A fresh CODEX_HOME and an empty system layer, so the machine's own config never leaks into a test.
    param([string] $Root = (Join-Path ([IO.Path]::GetTempPath()) "cxsb-$([guid]::NewGuid().ToString('n').Substring(0, 8))"))
    $codexHome = New-Item -ItemType Directory -Force (Join-Path $Root 'codex-home')
    $system = New-Item -ItemType Directory -Force (Join-Path $Root 'system')
    $env:CODEX_HOME = $codexHome.FullName
    $env:CODEXSANDBOX_SYSTEM_CONFIG_DIR = $system.FullName
    [pscustomobject]@{ Root = $Root; CodexHome = $codexHome.FullName; System = $system.FullName }
}

function Invoke-TestPwsh {
    # A fresh PowerShell process (the pinned tool), for tests that need a clean session.
    param([Parameter(Mandatory)] [string] $Command)
    Push-Location (Join-Path $PSScriptRoot '..')
    try { & dotnet pwsh -NoProfile -NonInteractive -Command $Command 2>&1 }
    finally { Pop-Location }
}
