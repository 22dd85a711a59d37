namespace CodexSandbox.Engine.Backends.Linux;

/// <summary>
/// What a program needs readable to start under a read limit: its own file, the interpreter its <c>#!</c> line names,
/// and for each dynamically linked one its loader (<see cref="ElfInterpreter"/>) and the system library folders the loader
/// searches. Libraries are code, not data; a profile that wants more (other programs, <c>/etc</c>) grants <c>:minimal</c>.
/// Codex adds its own helpers to every profile's readable roots the same way (codex-config-2026.md §2.3).
/// </summary>
internal static class ProgramStart
{
    /// <summary>Where glibc's loader finds libraries (its built-in folders, <c>/etc/ld.so.conf</c>'s usual entries, its cache).</summary>
    public static readonly IReadOnlyList<string> LibraryPaths =
        ["/lib", "/lib64", "/lib32", "/libx32", "/usr/lib", "/usr/lib64", "/usr/lib32", "/usr/libx32", "/usr/local/lib", "/etc/ld.so.cache"];

    private const int MaxScriptDepth = 2;

    /// <summary>The paths <paramref name="program"/> (an absolute path) needs, the program first; those that do not exist are left out.</summary>
    public static IReadOnlyList<string> For(string program)
    {
        var paths = new List<string>();
        Add(program, paths, 0);
        return paths;
    }

    private static void Add(string file, List<string> paths, int depth)
    {
        if (!File.Exists(file) || paths.Contains(file, StringComparer.Ordinal)) return;
        paths.Add(file);
        if (Shebang(file) is { } interpreter)
        {
            // a script's interpreter may itself be a script (up to the kernel's own limit, kept small here)
            if (depth < MaxScriptDepth) Add(interpreter, paths, depth + 1);
            return;
        }
        if (ElfInterpreter.Of(file) is not { } loader) return;
        Add(loader, paths, MaxScriptDepth);
        foreach (var library in LibraryPaths)
        {
            if ((Directory.Exists(library) || File.Exists(library)) && !paths.Contains(library, StringComparer.Ordinal)) paths.Add(library);
        }
    }

    /// <summary>The absolute interpreter path of a <c>#!</c> line, or null.</summary>
    private static string? Shebang(string file)
    {
        try
        {
            Span<byte> head = stackalloc byte[256];
            int n;
            using (var stream = new FileStream(file, FileMode.Open, System.IO.FileAccess.Read, FileShare.ReadWrite, bufferSize: 1)) n = stream.Read(head);
            if (n < 3 || head[0] != (byte)'#' || head[1] != (byte)'!') return null;
            var line = System.Text.Encoding.UTF8.GetString(head[2..n]);
            int end = line.IndexOf('\n');
            if (end >= 0) line = line[..end];
            var interpreter = line.Trim().Split([' ', '\t'], 2)[0];
            return interpreter.StartsWith('/') ? interpreter : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
