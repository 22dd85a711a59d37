using CodexSandbox.Engine.Audit;
using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Policy;

namespace CodexSandbox.Internal;

/// <summary>The audit log the config in effect names (<c>[sandbox_audit] path</c>, or <c>&lt;log_dir&gt;/sandbox-audit.jsonl</c>).</summary>
internal static class AuditLogLocation
{
    public static string Resolve(string workingDirectory) => Settings(workingDirectory).Path;

    public static AuditSettings Settings(string workingDirectory)
    {
        var config = ConfigLoader.Load(ConfigRequest.FromEnvironment(workingDirectory));
        return PolicyResolver.Resolve(config, new PolicyOverrides(), new Dictionary<string, string>()).Audit;
    }

    /// <summary>
    /// The log to read. A config that cannot be read must not hide the record of what happened, so then the default
    /// location (<c>$CODEX_HOME/log/sandbox-audit.jsonl</c>) is read instead and <paramref name="problem"/> says why.
    /// </summary>
    public static string ResolveForReading(string workingDirectory, out string? problem)
    {
        try
        {
            problem = null;
            return Resolve(workingDirectory);
        }
        catch (Exception e) when (e is ConfigException or ProfileNotFoundException)
        {
            problem = e.Message;
            return AuditLog.DefaultPath(ConfigRequest.FromEnvironment(workingDirectory).CodexHome);
        }
    }
}
