using CodexSandbox.Engine.Configuration;

namespace CodexSandbox.Engine.Policy.Steps;

/// <summary>The log folder, the audit log, and the paths no sandboxed command may change whatever the mode and the roots.</summary>
internal static class PathSteps
{
    /// <summary><c>log_dir</c>, default <c>$CODEX_HOME/log</c>.</summary>
    public static string LogDirectory(Resolution r) =>
        r.Pick(l => l.LogDirectory)?.Value ?? Path.Combine(r.Request.CodexHome, "log");

    /// <summary><c>[sandbox_audit] path</c>, default <c>sandbox-audit.jsonl</c> in the log folder.</summary>
    public static string AuditPath(Resolution r, string logDirectory) =>
        r.Pick(l => l.AuditPath)?.Value ?? Path.Combine(logDirectory, "sandbox-audit.jsonl");

    /// <summary><c>$CODEX_HOME</c>, <c>/etc/codex</c>, the module's folder, the log folder and the audit log's folder, canonical.</summary>
    public static IReadOnlyList<string> AlwaysReadOnly(string codexHome, string logDirectory, string auditPath)
    {
        var paths = new List<string> { codexHome, "/etc/codex", PolicyResolver.ModuleFolder, logDirectory };
        if (Path.GetDirectoryName(auditPath) is { } auditDir) paths.Add(auditDir);
        return paths.Where(p => p.Length > 0).Select(PathUtil.Canonical).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary><c>deny_read</c>, then the credential files unless <c>[sandbox_credentials] deny_read = false</c>.</summary>
    public static (IReadOnlyList<string> DenyRead, IReadOnlyList<string> Credentials) DenyRead(Resolution r)
    {
        var configured = r.Pick(l => l.DenyRead)?.Value ?? [];
        var credentials = CredentialFiles.Resolve(r.Layers.Pick(l => l.CredentialsDenyRead), r.ParentEnvironment, r.Request.CodexHome, r.Origins);
        return (configured.Concat(credentials).Distinct(StringComparer.Ordinal).ToList(), credentials);
    }
}
