# Shared set-up for the escape suite: a workspace (the only writable root) and a sibling folder outside it.

function New-EscapeWorld {
    param([ValidateSet('bwrap', 'launcher')] [string] $Layer, [string] $Extra = '')
    $root = Join-Path (Get-TestBase) "cxsb-esc-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
    $ws = New-Item -ItemType Directory -Force (Join-Path $root 'ws')
    $out = New-Item -ItemType Directory -Force (Join-Path $root 'outside')
    & git -C $ws.FullName init -q 2>&1 | Out-Null
    & git -C $ws.FullName -c user.email=t@t -c user.name=t commit -q --allow-empty -m init 2>&1 | Out-Null
    Set-Content -Path (Join-Path $out 'target') -Value 'original' -NoNewline
    Set-Content -Path (Join-Path $ws 'inside') -Value 'original' -NoNewline
    $namespaces = if ($Layer -eq 'bwrap') { 'required' } else { 'off' }
    $config = Join-Path $root 'config.toml'
    Set-Content $config @"
[sandbox_workspace_write]
exclude_slash_tmp = true
exclude_tmpdir_env_var = true
[sandbox_linux]
namespaces = "$namespaces"
[sandbox_rollback]
checkpoint = "never"
$Extra
"@
    [pscustomobject]@{ Root = $root; Ws = $ws.FullName; Out = $out.FullName; Target = (Join-Path $out 'target'); Config = $config; Layer = $Layer }
}

function Invoke-InWorld {
    # Runs a POSIX shell line in the world's workspace, workspace-write, network off unless -Network.
    param($World, [string] $Line, [switch] $Network, [string] $Mode = 'WorkspaceWrite', [int] $TimeoutSec = 60)
    # -Force: these tests are about what the sandbox stops, not about approvals (rm -rf would prompt).
    $p = @{ Command = $Line; ConfigPath = $World.Config; WorkingDirectory = $World.Ws; SandboxMode = $Mode; TimeoutSec = $TimeoutSec; WarningAction = 'SilentlyContinue'; Force = $true }
    if ($Network) { $p.NetworkAccess = $true }
    Invoke-SandboxedCommand @p
}

function Get-RealPython {
    # pyenv shims are shell scripts that want to write their own state; use the interpreter itself.
    $exe = & python3 -c 'import sys; print(sys.executable)' 2>$null
    if ($LASTEXITCODE -eq 0 -and $exe) { return $exe.Trim() }
    return $null
}

function Get-BwrapProblem {
    (Get-SandboxCapability).BwrapProblem
}

function Get-LayerSkipReason {
    # Why the suite of this Linux layer cannot run here, or nothing when it can.
    param([string] $Layer, $Capability)
    if (-not $IsLinux) { return 'the Linux launcher and bubblewrap exist only on Linux; the macOS and Windows attempts are in Invoke-SandboxedCommand.Platform.Tests.ps1' }
    if ($Layer -eq 'bwrap' -and -not $Capability.BwrapWorks) { return "bubblewrap is not usable here: $($Capability.BwrapProblem)" }
}
