namespace CodexSandbox.Engine.Audit;

/// <summary>The audit log could not be written or read; the message names the file and the cause.</summary>
public sealed class AuditLogException : IOException
{
    public AuditLogException(string message, string path, Exception? inner = null) : base(message, inner) => Path = path;

    /// <summary>The file or directory involved.</summary>
    public string Path { get; }
}
