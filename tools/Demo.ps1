<#
.SYNOPSIS
    A walk through what CodexSandbox does, with real output. Run by `./build.ps1 Demo`.
#>
param([Parameter(Mandatory)] [string] $ModulePath)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

function Show([string] $Title) { Write-Host "`n=== $Title ===" -ForegroundColor Cyan }

# A scratch Codex home and project, so the demo never touches your own config.
$root = Join-Path ([IO.Path]::GetTempPath()) "codexsandbox-demo-$PID"
$codexHome = New-Item -ItemType Directory -Force (Join-Path $root '.codex')
$project = New-Item -ItemType Directory -Force (Join-Path $root 'project')
New-Item -ItemType Directory -Force (Join-Path $project '.git') | Out-Null
$env:CODEX_HOME = $codexHome.FullName
$env:CODEXSANDBOX_SYSTEM_CONFIG_DIR = (New-Item -ItemType Directory -Force (Join-Path $root 'etc')).FullName
Set-Content (Join-Path $codexHome 'config.toml') @"
model = "gpt-5"                 # other Codex settings are ignored
sandbox_mode = "workspace-write"
[sandbox_workspace_write]
network_access = false
[sandbox_limits]
timeout_sec = 30
[profiles.ci]
approval_policy = "never"
"@
Set-Location $project
$env:DEMO_API_KEY = 'sk-demo-not-a-real-key'

try {
    Show 'The effective policy for this project, and where each value came from'
    Get-SandboxPolicy | Format-List SandboxMode, ApprovalPolicy, WritableRoots, ProtectedPaths, NetworkMode, EnvironmentPolicy, EnvironmentRemoved, Provenance

    Show 'A profile and a parameter override the file'
    Get-SandboxPolicy -Profile ci -SandboxMode read-only | Format-Table

    Show 'A broken config is reported with file, line and column'
    $broken = Join-Path $root 'broken.toml'
    Set-Content $broken "sandbox_mode = `"sometimes`"`n[sandbox_limits`n"
    Test-SandboxConfig -Path $broken | Format-Table -Wrap
    try { Get-SandboxPolicy -ConfigPath $broken } catch { Write-Host "Get-SandboxPolicy refused: [$($_.FullyQualifiedErrorId)] $($_.Exception.Message)" -ForegroundColor Yellow }
}
finally {
    Set-Location $PSScriptRoot
    Remove-Item -Recurse -Force $root -ErrorAction SilentlyContinue
}
