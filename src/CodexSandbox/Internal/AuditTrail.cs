using System.Management.Automation;
using CodexSandbox.Engine.Audit;

namespace CodexSandbox.Internal;

/// <summary>
/// The cmdlets' door to the audit log: appends when auditing is enabled, turns a write failure into a warning,
/// or — with <c>[sandbox_audit] required = true</c> — into an error that stops the run.
/// </summary>
internal sealed class AuditTrail(AuditSettings settings, PSCmdlet cmdlet)
{

    /// <summary>Appends; returns the record id, or null when auditing is off or the write failed (and was only warned about).</summary>
    public string? Append(AuditEntry entry)
    {
        if (!settings.Enabled) return null;
        try
        {
            return AuditLog.Open(settings).Append(entry).Id;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (settings.Required) throw new AuditUnavailableException(settings.Path, e);
            cmdlet.WriteWarning($"The audit log {settings.Path} could not be written: {e.Message}");
            return null;
        }
    }

    /// <summary>With <c>required = true</c>, checks before a run that the log can be written, so nothing runs unrecorded.</summary>
    public void EnsureWritable()
    {
        if (!settings.Enabled || !settings.Required) return;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(settings.Path)!);
            using var probe = new FileStream(settings.Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AuditUnavailableException(settings.Path, e);
        }
    }
}

/// <summary>The audit log is required but cannot be written; nothing runs.</summary>
internal sealed class AuditUnavailableException(string path, Exception inner)
    : Exception($"The audit log {path} is required ([sandbox_audit] required = true) but cannot be written: {inner.Message}", inner);
