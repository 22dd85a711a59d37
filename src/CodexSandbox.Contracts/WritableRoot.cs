namespace CodexSandbox;

/// <summary>A folder the sandboxed command may change, with the sub-paths that stay read-only inside it.</summary>
public sealed class WritableRoot
{
    public WritableRoot(string path, IReadOnlyList<string> readOnlySubpaths)
    {
        Path = path;
        ReadOnlySubpaths = readOnlySubpaths;
    }

    /// <summary>The absolute, canonical path.</summary>
    public string Path { get; }
    /// <summary>Protected sub-paths (<c>.git</c> and its gitdir target, <c>.codex</c>, <c>.agents</c>); some may not exist yet.</summary>
    public IReadOnlyList<string> ReadOnlySubpaths { get; }

    public override string ToString() => ReadOnlySubpaths.Count == 0 ? Path : $"{Path} (read-only: {string.Join(", ", ReadOnlySubpaths)})";
}
