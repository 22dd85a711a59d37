# Dot-sourced by every *.Tests.ps1: imports the staged module once, and gives each test an isolated Codex home.
$modulePath = $env:CODEXSANDBOX_TEST_MODULE
if (-not $modulePath) {
    $version = (Import-PowerShellDataFile (Join-Path $PSScriptRoot '../CodexSandbox.psd1')).ModuleVersion
    $modulePath = Join-Path $PSScriptRoot "../out/CodexSandbox/$version/CodexSandbox.psd1"
}
if (-not (Get-Module CodexSandbox)) { Import-Module $modulePath -ErrorAction Stop }

function Get-TestBase {
    # Where sandbox worlds live: outside the host's temporary folders, which sandboxed commands do not see (a private /tmp),
    # so a folder "outside the workspace" stays visible and read-only there, as it is for a real project.
    $base = if ((& id -u) -eq '0' -and (Test-Path /var/lib)) { '/var/lib/codexsandbox-tests' } else { Join-Path $HOME '.cache/codexsandbox-tests' }
    if (-not (Test-Path $base)) { $null = New-Item -ItemType Directory -Force $base; & chmod 755 $base }
    $base
}

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
