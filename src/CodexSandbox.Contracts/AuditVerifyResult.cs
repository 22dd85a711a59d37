namespace CodexSandbox;

/// <summary>The outcome of walking the audit log's hash chain.</summary>
public sealed class AuditVerifyResult
{
    /// <summary>True when every record is unaltered, in order, and none is missing or inserted.</summary>
    public bool Intact { get; init; }
    public long RecordsChecked { get; init; }
    /// <summary>The files walked, oldest first.</summary>
    public IReadOnlyList<string> Files { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
    public string? FirstBadFile { get; init; }
    /// <summary>1-based line of the first bad record in <see cref="FirstBadFile"/>.</summary>
    public int? FirstBadLine { get; init; }
    /// <summary>The id of the first bad record, when its line could still be read.</summary>
    public string? FirstBadId { get; init; }
    /// <summary>What is wrong, in a sentence; null when intact.</summary>
    public string? Problem { get; init; }
    /// <summary>Things that do not break the chain, such as a torn last line left by an interrupted write.</summary>
    public IReadOnlyList<string> Warnings { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;

    public override string ToString() => Intact
        ? $"Intact: {RecordsChecked} records in {Files.Count} file(s)"
        : $"{FirstBadFile}:{FirstBadLine}: {Problem}";
}
