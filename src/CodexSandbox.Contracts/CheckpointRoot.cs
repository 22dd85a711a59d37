namespace CodexSandbox;

/// <summary>What a checkpoint recorded for one writable root.</summary>
public sealed class CheckpointRoot
{
    /// <summary>The absolute path of the root.</summary>
    public string Path { get; init; } = "";
    public CheckpointKind Kind { get; init; }
    /// <summary>False when this root could not be recorded; <see cref="Reason"/> says why.</summary>
    public bool Taken { get; init; }
    public string? Reason { get; init; }
    /// <summary>Git: the top of the work tree holding the root.</summary>
    public string? Repository { get; init; }
    /// <summary>Git: the root relative to <see cref="Repository"/> ("" or ending in '/').</summary>
    public string? Prefix { get; init; }
    /// <summary>
    /// Git: the checkpoint store's own bare repository that holds <see cref="Ref"/>, the commits and every object they
    /// need, so the user's repository gains no refs and its gc cannot prune them. Null for checkpoints recorded by
    /// earlier versions, whose ref lives in <see cref="Repository"/>.
    /// </summary>
    public string? CheckpointRepository { get; init; }
    /// <summary>Git: the ref keeping the checkpoint commits alive (in <see cref="CheckpointRepository"/>).</summary>
    public string? Ref { get; init; }
    /// <summary>Git: the commit of the state before the run.</summary>
    public string? Commit { get; init; }
    /// <summary>Git: the commit of the state right after the run, once marked.</summary>
    public string? AfterCommit { get; init; }
    /// <summary>Files (and symbolic links) recorded.</summary>
    public int FileCount { get; init; }
    /// <summary>Total size of the recorded files.</summary>
    public long SizeBytes { get; init; }

    public override string ToString() => Taken ? $"{Path} ({Kind}, {FileCount} file(s))" : $"{Path} (not recorded: {Reason})";
}
