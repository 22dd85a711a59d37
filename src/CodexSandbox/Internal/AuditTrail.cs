using System.Management.Automation;
using CodexSandbox.Commands;
using CodexSandbox.Engine.Audit;
using CodexSandbox.Engine.Export;

namespace CodexSandbox.Internal;

/// <summary>
/// The cmdlets' door to the audit log: appends when auditing is enabled, turns a write failure into a warning,
/// or — with <c>[sandbox_audit] required = true</c> — into an error that stops the run.
/// </summary>
internal sealed class AuditTrail(AuditSettings settings, PSCmdlet cmdlet)
{
    // Export (Export/AuditExport) ships each record appended from here to the sinks of the config this cmdlet resolved.
    private readonly bool _exporting = AttachExport(settings, cmdlet);

    /// <summary>Appends; returns the record id, or null when auditing is off or the write failed (and was only warned about).</summary>
    public string? Append(AuditEntry entry)
    {
        if (!settings.Enabled) return null;
        try
        {
            var id = AuditLog.Open(settings).Append(entry).Id;
            if (_exporting) foreach (var warning in AuditExport.TakeWarnings()) cmdlet.WriteWarning(warning);
            return id;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (settings.Required) throw new AuditUnavailableException(settings.Path, e);
            cmdlet.WriteWarning($"The audit log {settings.Path} could not be written: {e.Message}");
            return null;
        }
    }

    private static bool AttachExport(AuditSettings settings, PSCmdlet cmdlet)
    {
        if (!settings.Enabled || cmdlet is not SandboxCmdletBase { Config: { } config }) return false;
        // Export never stops or fails a run; a problem with it is a warning, once per session.
        try { AuditExport.Attach(config, settings); }
        catch (Exception e) when (e is not OutOfMemoryException) { cmdlet.WriteWarning($"Audit export is not running: {e.Message}"); }
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

/// <summary>The audit log is required but cannot be written; nothing runs.</summary>
internal sealed class AuditUnavailableException(string path, Exception inner)
    : Exception($"The audit log {path} is required ([sandbox_audit] required = true) but cannot be written: {inner.Message}", inner);
