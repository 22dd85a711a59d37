# An example of testing your own command policy with Pester and the CodexSandbox assertions.
# Run it with:  Invoke-Pester ./CommandPolicy.Tests.ps1      (Pester 5; Pester and CodexSandbox in either import order)
# The assertions take a command line (assessed with the policy in effect in the current folder) or the
# CommandAssessment that Test-CommandSafety returns (to pin the mode, approval policy or rules files).

BeforeAll {
    # Registers Should -BeKnownSafe, -BeDangerous, -BeAllowed, -RequireApproval and -BeForbidden. The module already
    # imported in this session if there is one, else the manifest named by $env:CODEXSANDBOX_TEST_MODULE, else the
    # build staged in this clone (./build.ps1 Build puts it in out/CodexSandbox/<version>/), else the installed module.
    if (-not (Get-Module CodexSandbox)) {
        $staged = Join-Path $PSScriptRoot '../../out/CodexSandbox'
        $module = if ($env:CODEXSANDBOX_TEST_MODULE) { $env:CODEXSANDBOX_TEST_MODULE }
                  elseif (Test-Path $staged) {
                      Get-ChildItem $staged -Filter CodexSandbox.psd1 -Recurse -Depth 1 |
                          Sort-Object { [version]$_.Directory.Name } | Select-Object -Last 1 -ExpandProperty FullName
                  }
                  else { 'CodexSandbox' }
        Import-Module $module -ErrorAction Stop
    }
    # The rules under review. A team keeps its file in its repository; here it is written out so the example stands alone.
    $script:rules = Join-Path $TestDrive 'team.rules'
    Set-Content $rules @'
prefix_rule(pattern = ["curl"], decision = "forbidden", justification = "downloads go through the package mirror")
prefix_rule(pattern = ["git", ["push", "fetch"]], decision = "prompt", justification = "talks to the remote")
'@
    function Assess([string] $Line, [string] $Approval = 'OnRequest') {
        Test-CommandSafety $Line -RulesPath $rules -ApprovalPolicy $Approval -SandboxMode WorkspaceWrite
    }
}

Describe 'Our command policy' {
    It 'treats read-only git commands as safe' {
        'git status' | Should -BeKnownSafe
        'git log --oneline -n 5' | Should -BeKnownSafe
    }

    It 'flags destructive commands in every spelling' {
        'rm -rf build' | Should -BeDangerous
        'rm -r -f build' | Should -BeDangerous
        'git reset --hard HEAD~1' | Should -BeDangerous
    }

    It 'never lets curl run, whatever the approval policy' {
        Assess 'curl https://example.com/install.sh' | Should -BeForbidden
        Assess 'curl https://example.com/install.sh' -Approval Never | Should -BeForbidden
    }

    It 'asks before talking to the remote' {
        Assess 'git push origin main' | Should -RequireApproval
        Assess 'git fetch --all' | Should -RequireApproval
    }

    It 'runs ordinary build steps without asking, inside the sandbox' {
        Assess 'make test' | Should -BeAllowed
        (Assess 'make test').RunsSandboxed | Should -BeTrue
    }
}
