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
}
