using System.Management.Automation;
using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Export;
using CodexSandbox.Engine.Policy;
using CodexSandbox.Internal;

namespace CodexSandbox.Commands;

/// <summary>Sends every audit record a configured sink has not received yet ([otel], [sandbox_audit] syslog), now.</summary>
[Cmdlet(VerbsData.Sync, "SandboxAudit", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(AuditExportResult))]
public sealed class SyncSandboxAuditCommand : PSCmdlet
{
    /// <summary>How long to wait for the sinks, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; } = 30;

    /// <summary>A config.toml used instead of $CODEX_HOME/config.toml.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ConfigPath { get; set; }

    protected override void EndProcessing()
    {
        var cwd = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
        var request = ConfigRequest.FromEnvironment(cwd, ConfigPath is null ? null : GetUnresolvedProviderPathFromPSPath(ConfigPath));
        LoadedConfig config;
        AuditSettings audit;
        try
        {
            config = ConfigLoader.Load(request);
            audit = PolicyResolver.Resolve(config, new PolicyOverrides(), new Dictionary<string, string>()).Audit;
        }
        catch (Exception e) when (Errors.FromException(e, cwd) is { } record)
        {
            ThrowTerminatingError(record);
            return;
        }
        var export = ExportSettings.Read(config);
        foreach (var problem in export.Diagnostics.Where(d => d.Severity != DiagnosticSeverity.Information)) WriteWarning(problem.ToString());
        if (!audit.Enabled || export.Sinks.Count == 0)
        {
            WriteVerbose(audit.Enabled ? "No audit export is configured ([otel] exporter, [sandbox_audit] syslog)." : "The audit log is disabled ([sandbox_audit] enabled = false).");
            return;
        }
        var chosen = export.Sinks.Where(s => ShouldProcess(s.ToString(), "Send the audit records it has not received")).Select(s => s.Id).ToHashSet();
        if (chosen.Count == 0) return;
        foreach (var result in AuditExport.Sync(config, audit, TimeSpan.FromSeconds(TimeoutSec), s => chosen.Contains(s.Id)))
        {
            WriteObject(result);
            if (!result.Succeeded)
            {
                WriteError(Errors.Record(new IOException($"{result.Sink}: {result.Pending} record(s) not delivered: {result.Error}"), Errors.AuditExportFailed, result.Sink));
            }
        }
    }
}
