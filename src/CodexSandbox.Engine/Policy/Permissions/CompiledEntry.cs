namespace CodexSandbox.Engine.Policy.Permissions;

/// <summary>A filesystem entry with its special path expanded: an absolute path (or, for deny only, a glob) and its access.</summary>
internal sealed record CompiledEntry(string Path, FileAccess Access, bool IsGlob, PolicyOrigin Origin, string? Token = null)
{
    /// <summary>How many path components the path has: the most specific entry wins.</summary>
    public int Depth => Path.Split('/', StringSplitOptions.RemoveEmptyEntries).Length;
}

/// <summary>Access in the order a tie is broken: deny beats write beats read.</summary>
internal enum FileAccess
{
    Read,
    Write,
    Deny,
}
