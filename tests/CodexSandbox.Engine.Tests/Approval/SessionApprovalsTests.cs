using CodexSandbox.Engine.Analysis;
using CodexSandbox.Engine.Approval;

namespace CodexSandbox.Engine.Tests.Approval;

public class SessionApprovalsTests
{
    [Fact]
    public void ApprovalIsKeyedByCanonicalKeyDirectoryAndEscalation()
    {
        var approvals = new SessionApprovals();
        var key = CommandAnalyzer.Analyze("cargo   test", ShellKind.Posix).CanonicalKey;
        approvals.Approve(key, "/w");
        Assert.True(approvals.IsApproved(CommandAnalyzer.AnalyzeArgv(["/bin/bash", "-lc", "cargo test"]).CanonicalKey, "/w"));
        Assert.False(approvals.IsApproved(key, "/other"));
        Assert.False(approvals.IsApproved(key, "/w", escalated: true));
    }

    [Fact]
    public void ConcurrentApprovalsAreAllKept()
    {
        var approvals = new SessionApprovals();
        Parallel.For(0, 2000, i => approvals.Approve("k" + i));
        Assert.Equal(2000, approvals.Count);
        Assert.All(Enumerable.Range(0, 2000), i => Assert.True(approvals.IsApproved("k" + i)));
    }
}
