namespace CodexSandbox.Engine.Audit;

/// <summary>The audit log is required (<c>[sandbox_audit] required = true</c>) but cannot be written; nothing runs.</summary>
public sealed class AuditUnavailableException(string path, Exception inner)
    : Exception($"The audit log {path} is required ([sandbox_audit] required = true) but cannot be written: {inner.Message}", inner)
{
    /// <summary>The log file that could not be written.</summary>
    public string Path { get; } = path;
}
