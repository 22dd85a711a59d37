namespace CodexSandbox.Engine.Backends.Windows;

/// <summary>
/// Finds the program of a Windows run in the environment the child receives (its PATH and PATHEXT, not the
/// caller's), and turns it into what CreateProcessAsUser needs. Pure: the only file access is the callback.
/// </summary>
public static class WindowsProgramResolver
{
    public const string DefaultPathExt = ".COM;.EXE;.BAT;.CMD";

    private static readonly char[] Separators = ['\\', '/'];
    private static readonly char[] NeverInNames = ['"', '\0', '*', '?', '<', '>', '|'];

    /// <summary>The absolute path of the program, or null when it does not exist there.</summary>
    /// <param name="program">argv[0] as the user wrote it.</param>
    /// <param name="environment">The child's environment; names are compared ignoring case.</param>
    /// <param name="workingDirectory">The child's working directory, for relative paths.</param>
    public static string? Resolve(string program, IReadOnlyDictionary<string, string> environment, string workingDirectory, Func<string, bool> fileExists)
    {
        ArgumentNullException.ThrowIfNull(fileExists);
        if (program.Length == 0 || program.IndexOfAny(NeverInNames) >= 0) return null;
        var extensions = (Variable(environment, "PATHEXT") is { Length: > 0 } pathext ? pathext : DefaultPathExt)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        // A name with a folder or drive in it is taken from there; only a bare name is searched on PATH.
        IEnumerable<string> bases = program.IndexOfAny(Separators) >= 0 || (program.Length >= 2 && program[1] == ':')
            ? [Absolute(program, workingDirectory)]
            : (Variable(environment, "PATH") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(d => d.Trim('"')).Where(d => d.Length > 0 && IsAbsolute(d)).Select(d => WindowsPath.Join(d, program));

        foreach (var candidate in bases)
        {
            // An explicit extension is tried as written first; a file without one cannot be started on Windows.
            if (HasExtension(candidate) && fileExists(candidate)) return candidate;
            foreach (var ext in extensions)
            {
                if (fileExists(candidate + ext)) return candidate + ext;
            }
        }
        return null;
    }

    /// <summary>
    /// The application name and command line for a resolved program: .exe and .com start directly; .bat and .cmd
    /// through <c>cmd.exe</c> from the system folder, with the arguments checked by <see cref="WindowsCommandLine.Build"/>.
    /// </summary>
    /// <param name="systemDirectory">The real System32 folder (never taken from the child's environment).</param>
    public static (string ApplicationName, string CommandLine) StartInfo(string resolved, IReadOnlyList<string> argv, string systemDirectory)
    {
        if (argv.Count == 0) throw new ArgumentException("The command is empty.", nameof(argv));
        var ext = Extension(resolved).ToUpperInvariant();
        switch (ext)
        {
            case ".EXE":
            case ".COM":
                return (resolved, WindowsCommandLine.Build(argv));
            case ".BAT":
            case ".CMD":
                if (resolved.IndexOfAny(['%', '"', '^', '!']) >= 0)
                    throw new ArgumentException($"The batch file path '{resolved}' holds a character cmd.exe would expand; it cannot be started safely.", nameof(resolved));
                _ = WindowsCommandLine.Build([resolved, .. argv.Skip(1)]); // refuses arguments with characters cmd.exe interprets
                // cmd.exe treats & ; , = and blanks literally only inside quotes: the path is always quoted, and so is any
                // argument holding a delimiter. /d: no AutoRun; /v:OFF: no !expansion!; /s /c "...": outer quotes stripped as a pair.
                var inner = "\"" + resolved + "\"" + string.Concat(argv.Skip(1).Select(a => " " + BatchArgument(a)));
                return (WindowsPath.Join(systemDirectory, "cmd.exe"), $"cmd.exe /d /e:ON /v:OFF /s /c \"{inner}\"");
            default:
                throw new ArgumentException($"'{resolved}' cannot be started: only .exe, .com, .bat and .cmd files can. Run a script through its interpreter (for example pwsh -File).", nameof(resolved));
        }
    }

    private static string BatchArgument(string argument) =>
        argument.Length == 0 || argument.IndexOfAny([' ', '\t', ',', ';', '=', '\v', '\f']) >= 0 ? "\"" + argument + "\"" : argument;

    private static string? Variable(IReadOnlyDictionary<string, string> environment, string name)
    {
        if (environment.TryGetValue(name, out var exact)) return exact;
        foreach (var (k, v) in environment)
        {
            if (k.Equals(name, StringComparison.OrdinalIgnoreCase)) return v;
        }
        return null;
    }

    private static bool IsAbsolute(string path) => WindowsPath.IsWindowsStyle(path) || path.StartsWith('/');

    private static string Absolute(string program, string workingDirectory)
    {
        if (WindowsPath.IsWindowsStyle(program) && (program.Length == 2 || program[2] is '\\' or '/' || program.StartsWith(@"\\", StringComparison.Ordinal)))
            return WindowsPath.Normalize(program);
        if (program.Length >= 2 && program[1] == ':') // C:name is relative to that drive's current folder; take its root
            return WindowsPath.Normalize(program[..2] + "\\" + program[2..]);
        if (program[0] is '\\' or '/') // rooted on the working directory's drive
            return WindowsPath.IsWindowsStyle(workingDirectory) && workingDirectory[1] == ':' ? WindowsPath.Normalize(workingDirectory[..2] + program) : WindowsPath.Normalize(program);
        return WindowsPath.Normalize(WindowsPath.Join(workingDirectory, program));
    }

    private static bool HasExtension(string path) => Extension(path).Length > 1;

    private static string Extension(string path)
    {
        var name = path[(path.LastIndexOfAny(Separators) + 1)..];
        var dot = name.LastIndexOf('.');
        return dot < 0 ? "" : name[dot..];
    }
}
