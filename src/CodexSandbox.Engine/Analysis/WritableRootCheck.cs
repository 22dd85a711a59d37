namespace CodexSandbox.Engine.Analysis;

/// <summary>
/// Resolves a path the way the command will see it (relative to the working directory, <c>~</c> to the home folder)
/// and tells whether it lies under one of the writable roots.
/// </summary>
public sealed class WritableRootCheck
{
    private readonly string _workingDirectory;
    private readonly string[] _roots;
    private static readonly StringComparison PathComparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <param name="writableRoots">The roots a sandboxed command may write under; empty means nothing is writable.</param>
    /// <param name="workingDirectory">Where relative paths start; null means the process's current directory.</param>
    public WritableRootCheck(IReadOnlyList<string> writableRoots, string? workingDirectory)
    {
        _workingDirectory = workingDirectory is { Length: > 0 } ? SafeFull(workingDirectory, System.Environment.CurrentDirectory) ?? workingDirectory
            : System.Environment.CurrentDirectory;
        var roots = new List<string>(writableRoots.Count);
        foreach (var r in writableRoots)
        {
            if (string.IsNullOrWhiteSpace(r)) continue;
            if (Resolve(r) is { } full) roots.Add(Trim(full));
        }
        _roots = roots.ToArray();
    }

    /// <summary>The absolute, normalised form of <paramref name="path"/>, or null when it is not a path the OS accepts.</summary>
    public string? Resolve(string path)
    {
        if (string.IsNullOrEmpty(path)) return null;
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal))
        {
            var home = System.Environment.GetEnvironmentVariable("HOME");
            if (string.IsNullOrEmpty(home)) home = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
            if (string.IsNullOrEmpty(home)) return null;
            path = path.Length <= 2 ? home : Path.Combine(home, path.Substring(2));
        }
        return SafeFull(path, _workingDirectory);
    }

    /// <summary>True when <paramref name="fullPath"/> (already resolved) is a writable root or lies below one.</summary>
    public bool IsInsideRoots(string fullPath)
    {
        var p = Trim(fullPath);
        foreach (var root in _roots)
        {
            if (p.Equals(root, PathComparison)) return true;
            if (p.Length > root.Length && p.StartsWith(root, PathComparison)
                && (IsSeparator(p[root.Length]) || IsSeparator(root[^1]))) return true;
        }
        return false;
    }

    private static string? SafeFull(string path, string basePath)
    {
        try
        {
            return Path.GetFullPath(path, basePath);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return null;
        }
    }

    private static bool IsSeparator(char c) => c == '/' || c == Path.DirectorySeparatorChar;

    // keep "/" and "C:\" whole; drop the trailing separator of anything longer
    private static string Trim(string p) => p.Length > 1 && IsSeparator(p[^1]) && Path.GetPathRoot(p) != p ? p.TrimEnd('/', Path.DirectorySeparatorChar) : p;
}
