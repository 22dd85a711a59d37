using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Export;

namespace CodexSandbox.Engine.Audit;

/// <summary>
/// The door to the audit log for a run or an undo: appends when auditing is enabled, turns a write failure into a
/// warning, or — with <c>[sandbox_audit] required = true</c> — into an <see cref="AuditUnavailableException"/> that
/// stops the run.
/// </summary>
/// <param name="warn">Where a failed write that is not required is reported (the cmdlet's warning stream).</param>
/// <param name="config">The config the caller resolved; its export sinks ([otel], [sandbox_audit] syslog) get every record appended here.</param>
public sealed class AuditTrail(AuditSettings settings, Action<string> warn, LoadedConfig? config = null)
{
    // Export (Export/AuditExport) ships each record appended from here to the sinks of the config the caller resolved.
    private readonly bool _exporting = AttachExport(settings, config, warn);

    /// <summary>Appends; returns the record id, or null when auditing is off or the write failed (and was only warned about).</summary>
    public string? Append(AuditEntry entry)
    {
        if (!settings.Enabled) return null;
        try
        {
            var id = AuditLog.Open(settings).Append(entry).Id;
            if (_exporting) foreach (var warning in AuditExport.TakeWarnings()) warn(warning);
            return id;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (settings.Required) throw new AuditUnavailableException(settings.Path, e);
            warn($"The audit log {settings.Path} could not be written: {e.Message}");
            return null;
        }
    }

    private static bool AttachExport(AuditSettings settings, LoadedConfig? config, Action<string> warn)
    {
        if (!settings.Enabled || config is null) return false;
        // Export never stops or fails a run; a problem with it is a warning, once per session.
        try { AuditExport.Attach(config, settings); }
        catch (Exception e) when (e is not OutOfMemoryException) { warn($"Audit export is not running: {e.Message}"); }
        return true;
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
