namespace CodexSandbox.Engine.Audit;

/// <summary>
/// The door to the audit log for a run or an undo: appends when auditing is enabled, turns a write failure into a
/// warning, or — with <c>[sandbox_audit] required = true</c> — into an <see cref="AuditUnavailableException"/> that
/// stops the run.
/// </summary>
/// <param name="warn">Where a failed write that is not required is reported (the cmdlet's warning stream).</param>
public sealed class AuditTrail(AuditSettings settings, Action<string> warn)
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
            warn($"The audit log {settings.Path} could not be written: {e.Message}");
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
