using System.Management.Automation;
using CodexSandbox.Engine.Audit;
using CodexSandbox.Engine.Rollback;
using CodexSandbox.Internal;

namespace CodexSandbox.Commands;

/// <summary>Restores the files a sandboxed run created, changed or deleted, from the checkpoint taken before it.</summary>
[Cmdlet(VerbsCommon.Undo, "SandboxChange", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(UndoResult))]
public sealed class UndoSandboxChangeCommand : PSCmdlet
{
    /// <summary>The audit id of the run (SandboxResult.AuditId) or the checkpoint id.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("AuditId", "CheckpointId")]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = "";

    /// <summary>Also restore files that someone changed after the run (otherwise they are reported as conflicts and left alone).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var store = new CheckpointStore(CheckpointStores.Directory());
        var checkpoint = store.Find(AuditIds.Normalize(Id));
        if (checkpoint is null || !checkpoint.Taken)
        {
            var message = checkpoint is null
                ? $"No checkpoint belongs to '{Id}'."
                : $"No checkpoint was taken for '{Id}': {checkpoint.Reason}";
            WriteError(Errors.Record(new ItemNotFoundException(message), Errors.CheckpointNotFound, Id));
            return;
        }

        UndoResult plan;
        try
        {
            plan = store.Undo(checkpoint, dryRun: true, force: Force);
        }
        catch (CheckpointException e)
        {
            WriteError(Errors.Record(e, Errors.UndoFailed, Id));
            return;
        }
        foreach (var conflict in plan.Conflicts) WriteWarning($"Conflict, left alone: {conflict}");
        if (plan.Restored.Count + plan.Deleted.Count + plan.Recreated.Count == 0)
        {
            WriteVerbose($"Nothing to undo for checkpoint {checkpoint.Id}.");
            WriteObject(plan);
            return;
        }
        if (!ShouldProcess(Describe(checkpoint, plan), $"Undo the changes of run {checkpoint.AuditId ?? checkpoint.Id}?", "Undo-SandboxChange")) return;

        // Undo needs only the checkpoint store and the audit settings: a config that cannot be used does not stop it (the
        // default log records it, after a warning), and a required log that cannot be written stops it before any change.
        var audit = new AuditTrail(AuditLogLocation.SettingsOrDefaults(SessionState.Path.CurrentFileSystemLocation.ProviderPath, WriteWarning), WriteWarning);
        try
        {
            audit.EnsureWritable();
            var result = store.Undo(checkpoint, dryRun: false, force: Force);
            foreach (var conflict in result.Conflicts.Except(plan.Conflicts)) WriteWarning($"Conflict, left alone: {conflict}");
            audit.Append(new AuditEntry
            {
                EventType = AuditEventType.UndoPerformed, RelatedId = checkpoint.AuditId, WritableRoots = checkpoint.Roots,
                Reason = Force ? "forced: conflicts overwritten" : null,
                Details = new Dictionary<string, string>
                {
                    ["checkpoint"] = checkpoint.Id,
                    ["restored"] = string.Join("\n", result.Restored),
                    ["deleted"] = string.Join("\n", result.Deleted),
                    ["recreated"] = string.Join("\n", result.Recreated),
                    ["conflicts"] = string.Join("\n", result.Conflicts),
                },
            });
            WriteObject(result);
        }
        catch (CheckpointException e)
        {
            WriteError(Errors.Record(e, Errors.UndoFailed, Id));
        }
        catch (AuditUnavailableException e)
        {
            WriteError(Errors.Record(e, Errors.AuditLogUnavailable, e.Path));
        }
    }

    private static string Describe(Checkpoint checkpoint, UndoResult plan)
    {
        var lines = new List<string> { $"Undo checkpoint {checkpoint.Id} (taken {checkpoint.Created:u}) in {string.Join(", ", checkpoint.Roots)}:" };
        lines.AddRange(plan.Restored.Select(p => $"  restore   {p}"));
        lines.AddRange(plan.Recreated.Select(p => $"  re-create {p}"));
        lines.AddRange(plan.Deleted.Select(p => $"  delete    {p}"));
        return string.Join(System.Environment.NewLine, lines);
    }
}
