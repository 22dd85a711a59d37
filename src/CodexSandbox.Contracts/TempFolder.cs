namespace CodexSandbox;

/// <summary>
/// A temporary folder of the host (<c>/tmp</c>, <c>$TMPDIR</c>) that a sandboxed command sees as its own, private, per-run
/// folder at the same path: the host's files, FIFOs and sockets there (a .NET debugger pipe, PowerShell's host pipe) are
/// never visible inside.
/// </summary>
public sealed record TempFolder
{
    /// <summary>The host path the private folder takes the place of.</summary>
    public required string Path { get; init; }
    /// <summary>What named it: <c>/tmp</c> (Codex's <c>:slash_tmp</c>) or <c>$TMPDIR</c> (Codex's <c>:tmpdir</c>).</summary>
    public required string Name { get; init; }
    /// <summary>False in read-only mode, or when <c>exclude_slash_tmp</c> / <c>exclude_tmpdir_env_var</c> excludes it.</summary>
    public bool Writable { get; init; }

    public override string ToString() => $"{Name} = {Path} (private, {(Writable ? "writable" : "read-only")})";
}
