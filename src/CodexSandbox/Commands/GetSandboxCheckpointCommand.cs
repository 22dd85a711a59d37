using System.Management.Automation;
using CodexSandbox.Engine.Rollback;
using CodexSandbox.Internal;

namespace CodexSandbox.Commands;

/// <summary>Lists the checkpoints taken before sandboxed runs, newest first.</summary>
[Cmdlet(VerbsCommon.Get, "SandboxCheckpoint")]
[OutputType(typeof(Checkpoint))]
public sealed class GetSandboxCheckpointCommand : PSCmdlet
{
    /// <summary>Checkpoint ids or audit ids to show; wildcards allowed.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("AuditId", "CheckpointId")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completers.CheckpointIdCompleter))]
    public string[] Id { get; set; } = [];

    /// <summary>Show at most this many, newest first.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Last { get; set; }

    private List<Checkpoint>? _all;

    protected override void ProcessRecord()
    {
        _all ??= new CheckpointStore(CheckpointStores.Directory()).List().ToList();
        IEnumerable<Checkpoint> selected = _all;
        if (Id.Length > 0)
        {
            Id = Id.Select(AuditIds.Normalize).ToArray();
            var patterns = Id.Select(i => WildcardPattern.Get(i, WildcardOptions.IgnoreCase)).ToList();
            selected = _all.Where(c => patterns.Any(p => p.IsMatch(c.Id) || (c.AuditId is not null && p.IsMatch(c.AuditId))));
            foreach (var id in Id.Where(i => !WildcardPattern.ContainsWildcardCharacters(i) && !_all.Any(c => c.Id == i || c.AuditId == i)))
            {
                WriteError(Errors.Record(new ItemNotFoundException($"No checkpoint has the id or audit id '{id}'."), Errors.CheckpointNotFound, id,
                    "Run Get-SandboxCheckpoint to list them; checkpoints older than the audit retention are pruned."));
            }
        }
        if (Last > 0) selected = selected.Take(Last);
        foreach (var c in selected) WriteObject(c);
    }
}
