@{
    RootModule           = 'CodexSandbox.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6c76e647-ee2f-46cf-b9f0-04c4a962ae9d'
    Author               = 'CodexSandbox contributors'
    CompanyName          = 'CodexSandbox'
    Copyright            = '(c) CodexSandbox contributors. MIT License.'
    Description          = 'Runs commands inside a real OS sandbox (Landlock, seccomp, bubblewrap) with the policy model of the OpenAI Codex CLI: sandbox modes, approvals, exec-policy rules, environment filtering, limits and a tamper-evident audit log.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    TypesToProcess       = @('CodexSandbox.types.ps1xml')
    FormatsToProcess     = @('CodexSandbox.format.ps1xml')
    NestedModules        = @('CodexSandbox.Assertions.psm1', 'CodexSandbox.FrontDoor.psm1')
    # Invoke-SandboxedCommand is the front-door function of CodexSandbox.FrontDoor.psm1, which calls the cmdlet of
    # that name; the cmdlet is not exported, so the name means one command (and Get-Help shows one topic).
    CmdletsToExport      = @(
        'Get-SandboxPolicy'
        'Test-SandboxConfig'
        'Get-SandboxCapability'
        'Test-CommandSafety'
        'Get-SandboxAudit'
        'Undo-SandboxChange'
        'Get-SandboxCheckpoint'
        'Sync-SandboxAudit'
        'Export-SandboxAudit'
    )
    FunctionsToExport    = @('Invoke-SandboxedCommand')
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Sandbox', 'Security', 'Codex', 'Landlock', 'seccomp', 'bubblewrap', 'Linux')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = 'See README.md.'
        }
    }
}
