# An example of testing your own command policy with Pester and the CodexSandbox assertions.
# Run it with:  Invoke-Pester ./CommandPolicy.Tests.ps1
# The assertions take a command line (assessed with the policy in effect in the current folder) or the
# CommandAssessment that Test-CommandSafety returns (to pin the mode, approval policy or rules files).

BeforeAll {
    Import-Module CodexSandbox        # registers Should -BeKnownSafe, -BeDangerous, -BeAllowed, -RequireApproval, -BeForbidden
    # The rules under review, kept next to this test.
    $script:rules = Join-Path $PSScriptRoot 'team.rules'
    Set-Content $rules @'
prefix_rule(pattern = ["curl"], decision = "forbidden", justification = "downloads go through the package mirror")
prefix_rule(pattern = ["git", ["push", "fetch"]], decision = "prompt", justification = "talks to the remote")
'@
    function Assess([string] $Line, [string] $Approval = 'OnRequest') {
        Test-CommandSafety $Line -RulesPath $rules -ApprovalPolicy $Approval -SandboxMode WorkspaceWrite
    }
}
AfterAll { Remove-Item $rules -ErrorAction SilentlyContinue }

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
