using CodexSandbox.LauncherContract;

namespace CodexSandbox.Launcher.Landlock;

/// <summary>The canonical --deny paths (missing ones dropped) and the prefix tests the rule builder
/// needs. A path is "under" another when it equals it or continues it after a '/'.</summary>
internal sealed class DeniedPaths
{
    private readonly List<byte[]> _paths = [];

    public int Count => _paths.Count;

    public static DeniedPaths Resolve(IEnumerable<byte[]> arguments)
    {
        var denied = new DeniedPaths();
        foreach (byte[] argument in arguments)
        {
            // A path that does not exist has nothing to hide.
            if (CanonicalPath.Resolve(LauncherOption.DeniedPath, argument) is { } path) denied._paths.Add(path);
        }
        return denied;
    }

    /// <summary><paramref name="path"/> is itself a denied path.</summary>
    public bool IsDenied(ReadOnlySpan<byte> path)
    {
        foreach (byte[] d in _paths)
            if (path.SequenceEqual(d)) return true;
        return false;
    }

    /// <summary><paramref name="path"/> is a denied path or lies beneath one.</summary>
    public bool IsAtOrUnder(ReadOnlySpan<byte> path)
    {
        foreach (byte[] d in _paths)
            if (IsWithin(path, d)) return true;
        return false;
    }

    /// <summary>Some denied path lies strictly beneath <paramref name="path"/> (it is an ancestor of one).</summary>
    public bool HasDeniedBelow(ReadOnlySpan<byte> path)
    {
        foreach (byte[] d in _paths)
            if (d.Length > path.Length && IsWithin(d, path)) return true;
        return false;
    }

    /// <summary><paramref name="path"/> equals <paramref name="ancestor"/> or continues it after a '/'.</summary>
    private static bool IsWithin(ReadOnlySpan<byte> path, ReadOnlySpan<byte> ancestor)
    {
        if (!path.StartsWith(ancestor)) return false;
        if (path.Length == ancestor.Length) return true;
        return ancestor[^1] == (byte)'/' || path[ancestor.Length] == (byte)'/'; // ancestor "/" ends in '/'
    }
}
