namespace CodexSandbox.Engine.Rollback;

/// <summary>Which folders a checkpoint before a run records.</summary>
public static class CheckpointRoots
{
    /// <summary>
    /// The writable roots, except the shared temporary folders (they belong to every process on the machine, and
    /// copying them would be slow and restore other programs' files). With no sandbox, the working directory.
    /// </summary>
    public static IReadOnlyList<string> For(SandboxPolicy policy, bool unsandboxed, IReadOnlyDictionary<string, string> environment)
    {
        if (unsandboxed || policy.SandboxMode == SandboxMode.DangerFullAccess) return [policy.WorkingDirectory];
        var temp = new HashSet<string>(StringComparer.Ordinal) { "/tmp" };
        if (environment.TryGetValue("TMPDIR", out var tmpdir) && tmpdir.Length > 0) temp.Add(Path.GetFullPath(tmpdir).TrimEnd('/'));
        return policy.WritableRoots.Select(r => r.Path).Where(p => !temp.Contains(p) || p == policy.WorkingDirectory).ToList();
    }
}
