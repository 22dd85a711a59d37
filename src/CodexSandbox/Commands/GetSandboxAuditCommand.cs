using System.Management.Automation;
using CodexSandbox.Completers;
using CodexSandbox.Engine.Audit;
using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Policy;
using CodexSandbox.Internal;

namespace CodexSandbox.Commands;

/// <summary>Queries the audit log, or verifies its hash chain.</summary>
[Cmdlet(VerbsCommon.Get, "SandboxAudit", DefaultParameterSetName = QuerySet)]
[OutputType(typeof(AuditRecord), ParameterSetName = [QuerySet])]
[OutputType(typeof(AuditVerifyResult), ParameterSetName = [VerifySet])]
public sealed class GetSandboxAuditCommand : PSCmdlet
{
    private const string QuerySet = "Query";
    private const string VerifySet = "Verify";

    /// <summary>Only the last N matching records (read from the end of the log).</summary>
    [Parameter(ParameterSetName = QuerySet)]
    [ValidateRange(1, int.MaxValue)]
    public int Last { get; set; }

    [Parameter(ParameterSetName = QuerySet)]
    public DateTime Since { get; set; }

    [Parameter(ParameterSetName = QuerySet)]
    public DateTime Until { get; set; }

    [Parameter(ParameterSetName = QuerySet)]
    public AuditEventType[] EventType { get; set; } = [];

    /// <summary>Decisions to keep: Allow, Prompt, Forbidden, Block.</summary>
    [Parameter(ParameterSetName = QuerySet)]
    [SupportsWildcards]
    public string[] Decision { get; set; } = [];

    /// <summary>Command lines to keep; wildcards allowed.</summary>
    [Parameter(ParameterSetName = QuerySet)]
    [SupportsWildcards]
    public string[] Command { get; set; } = [];

    /// <summary>Record ids (SandboxResult.AuditId); tab completion offers recent ones.</summary>
    [Parameter(ParameterSetName = QuerySet, ValueFromPipelineByPropertyName = true)]
    [Alias("AuditId")]
    [ArgumentCompleter(typeof(AuditIdCompleter))]
    public string[] Id { get; set; } = [];

    /// <summary>The log file; default: the one the config in effect names.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Walk the hash chain and report the first altered, removed or inserted record.</summary>
    [Parameter(Mandatory = true, ParameterSetName = VerifySet)]
    public SwitchParameter Verify { get; set; }

    private readonly List<string> _ids = [];

    protected override void ProcessRecord() => _ids.AddRange(Id.Select(AuditIds.Normalize));

    protected override void EndProcessing()
    {
        var path = Path is null ? DefaultLogPath() : GetUnresolvedProviderPathFromPSPath(Path);
        var activity = Verify ? "Verifying the audit log's hash chain" : "Reading the audit log";
        // A new record per report: a host may keep the records it is given (a PowerShell instance's Progress stream does).
        Action<int> onProgress = p => WriteProgress(new ProgressRecord(1, activity, path) { PercentComplete = Math.Clamp(p, 0, 100) });
        try
        {
            if (Verify)
            {
                var result = AuditReader.Verify(path, onProgress);
                foreach (var warning in result.Warnings) WriteWarning(warning);
                WriteObject(result);
                return;
            }
            var query = new AuditQuery
            {
                Last = Last > 0 ? Last : null,
                Since = MyInvocation.BoundParameters.ContainsKey(nameof(Since)) ? new DateTimeOffset(Since) : null,
                Until = MyInvocation.BoundParameters.ContainsKey(nameof(Until)) ? new DateTimeOffset(Until) : null,
                EventTypes = EventType.Length > 0 ? EventType : null,
                Decisions = Decision.Length > 0 ? Decision : null,
                Commands = Command.Length > 0 ? Command : null,
                Ids = _ids.Count > 0 ? _ids : null,
            };
            // The reader yields lazily; warnings about bad lines are queued and written from this thread.
            var warnings = new List<ConfigDiagnostic>();
            foreach (var record in AuditReader.Query(path, query, warnings.Add, onProgress))
            {
                FlushWarnings(warnings);
                WriteObject(record);
            }
            FlushWarnings(warnings);
        }
        catch (AuditLogException e)
        {
            ThrowTerminatingError(Errors.Record(e, Errors.AuditLogUnreadable, path));
        }
        catch (UnauthorizedAccessException e)
        {
            ThrowTerminatingError(Errors.Record(e, Errors.AuditLogUnreadable, path, "Check the permissions of the log folder."));
        }
        finally
        {
            WriteProgress(new ProgressRecord(1, activity, path) { RecordType = ProgressRecordType.Completed });
        }
    }

    private void FlushWarnings(List<ConfigDiagnostic> warnings)
    {
        foreach (var w in warnings) WriteWarning($"{w.Path}:{w.Line}: {w.Message}");
        warnings.Clear();
    }

    private string DefaultLogPath()
    {
        var path = AuditLogLocation.ResolveForReading(SessionState.Path.CurrentFileSystemLocation.ProviderPath, out var problem);
        if (problem is not null)
        {
            WriteWarning($"The config in effect cannot be read ({problem}), so the audit log is read from its default location {path}; " +
                "a log_dir or [sandbox_audit] path set there is not applied. Test-SandboxConfig lists the problem.");
        }
        return path;
    }
}
