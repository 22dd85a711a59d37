using System.Runtime.InteropServices;

namespace CodexSandbox.Engine.Configuration;

/// <summary>Path spelling helpers shared by config and policy.</summary>
public static unsafe class PathUtil
{
    [DllImport("libc", EntryPoint = "realpath", SetLastError = true)]
    private static extern byte* realpath(byte* path, byte* resolved);

    [DllImport("libc", EntryPoint = "free")]
    private static extern void free(byte* pointer);

    /// <summary>The path with every link resolved when it exists (realpath(3)); null when it does not, cannot be
    /// resolved, or on Windows.</summary>
    public static string? TryRealPath(string path) => OperatingSystem.IsWindows() ? null : RealPath(Normalize(path));

    /// <summary>realpath(3) of an existing path; null when it is missing, unreadable, or not representable.</summary>
    private static string? RealPath(string path)
    {
        if (path.Contains('\0')) return null;
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        byte* result;
        fixed (byte* p = bytes) result = realpath(p, null);
        if (result is null) return null;
        try
        {
            return Marshal.PtrToStringUTF8((nint)result);
        }
        finally
        {
            free(result);
        }
    }

    public static string ExpandHome(string path, string home) =>
        path == "~" ? home :
        path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(home, path[2..]) : path;

    /// <summary>Full path without a trailing separator (except the root).</summary>
    public static string Normalize(string path)
    {
        var full = Path.GetFullPath(path);
        return full.Length > 1 ? full.TrimEnd(Path.DirectorySeparatorChar) : full;
    }

    /// <summary>The path with symbolic links resolved as far as it exists; the missing tail is kept as written.</summary>
    public static string Canonical(string path)
    {
        var full = Normalize(path);
        // One realpath(3) call resolves every link of an existing path; the walk below costs a few system calls per
        // component, which made the credential-file list the largest part of resolving a policy.
        if (!OperatingSystem.IsWindows() && RealPath(full) is { } real) return real;
        var missing = new Stack<string>();
        var current = full;
        while (!Directory.Exists(current) && !File.Exists(current))
        {
            var parent = Path.GetDirectoryName(current);
            if (parent is null) return full;
            missing.Push(Path.GetFileName(current));
            current = parent;
        }
        var resolved = (OperatingSystem.IsWindows() ? null : RealPath(current)) ?? ResolveLinks(current);
        while (missing.Count > 0) resolved = Path.Combine(resolved, missing.Pop());
        return Normalize(resolved);
    }

    private static string ResolveLinks(string existing)
    {
        try
        {
            return new DirectoryInfo(existing).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? ResolveParents(existing);
        }
        catch (IOException) { return existing; }
    }

    // A path whose last component is not a link may still have linked parents.
    private static string ResolveParents(string path)
    {
        var parent = Path.GetDirectoryName(path);
        if (parent is null) return path;
        var resolvedParent = Canonical(parent);
        return Path.Combine(resolvedParent, Path.GetFileName(path));
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or lies under it.</summary>
    public static bool IsUnder(string path, string root)
    {
        if (root == "/") return path.StartsWith('/');
        return path == root || path.StartsWith(root + "/", StringComparison.Ordinal);
    }
}
