namespace CodexSandbox.Engine.Rollback;

/// <summary>
/// An object folder git reads and writes instead of the repository's own (<c>GIT_OBJECT_DIRECTORY</c>), and one it may
/// also read from without writing to it (<c>GIT_ALTERNATE_OBJECT_DIRECTORIES</c>).
/// </summary>
internal sealed record GitObjects(string Directory, string? Borrowed = null);
