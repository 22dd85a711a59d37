using CodexSandbox.Engine.Audit;
using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Policy;

namespace CodexSandbox.Internal;

/// <summary>The audit log the config in effect names (<c>[sandbox_audit] path</c>, or <c>&lt;log_dir&gt;/sandbox-audit.jsonl</c>).</summary>
internal static class AuditLogLocation
{
    public static string Resolve(string workingDirectory) => Settings(workingDirectory).Path;

    public static AuditSettings Settings(string workingDirectory) => Settings(ConfigRequest.FromEnvironment(workingDirectory));

    /// <summary>
    /// The audit settings of the config in effect; when that config cannot be used (a syntax error, a wrong value, a
    /// missing profile), the defaults — <c>$CODEX_HOME/log/sandbox-audit.jsonl</c> — after a warning that names the
    /// problem. For steps that must be recorded whatever the config says, such as an undo.
    /// </summary>
    public static AuditSettings SettingsOrDefaults(string workingDirectory, Action<string> warn)
    {
        var request = ConfigRequest.FromEnvironment(workingDirectory);
        try
        {
            return Settings(request);
        }
        catch (Exception e) when (e is ConfigException or ProfileNotFoundException)
        {
            var defaults = new AuditSettings { Path = AuditLog.DefaultPath(request.CodexHome) };
            warn($"The config in effect cannot be used ({e.Message}); this is recorded in the default audit log {defaults.Path}. Test-SandboxConfig lists every problem.");
            return defaults;
        }
    }

    private static AuditSettings Settings(ConfigRequest request) =>
        PolicyResolver.Resolve(ConfigLoader.Load(request), new PolicyOverrides(), new Dictionary<string, string>()).Audit;

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
