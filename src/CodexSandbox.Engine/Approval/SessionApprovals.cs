using System.Collections.Concurrent;

namespace CodexSandbox.Engine.Approval;

/// <summary>
/// "Yes, and don't ask again for this command in this session": approvals remembered by canonical key, working
/// directory and escalation (Codex's ApprovedForSession). Safe to use from several threads.
/// </summary>
public sealed class SessionApprovals
{
    private readonly ConcurrentDictionary<(string Key, string Cwd, bool Escalated), byte> _approved = new();

    public void Approve(string canonicalKey, string workingDirectory = "", bool escalated = false)
        => _approved[(canonicalKey, workingDirectory, escalated)] = 0;

    public bool IsApproved(string canonicalKey, string workingDirectory = "", bool escalated = false)
        => _approved.ContainsKey((canonicalKey, workingDirectory, escalated));

    public int Count => _approved.Count;
}
