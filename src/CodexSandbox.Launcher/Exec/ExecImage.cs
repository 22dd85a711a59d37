using System.Runtime.InteropServices;
using CodexSandbox.Launcher.Native;
using CodexSandbox.Launcher.Output;
using CodexSandbox.LauncherContract;

namespace CodexSandbox.Launcher.Exec;

/// <summary>The resolved program path and a NUL-terminated argv, laid out in one native block before
/// any limit is applied, so exec needs no allocation.</summary>
internal sealed unsafe class ExecImage
{
    private readonly byte* _path;
    private readonly byte** _argv;
    private readonly byte* _displayName;
    private readonly byte** _shellArgv;

    public ExecImage(byte[] path, IReadOnlyList<byte[]> argv)
    {
        // execvp runs a file without a #! line (ENOEXEC) with /bin/sh; the argv for that retry is
        // prepared here too: sh PATH ARG1...
        var shell = new List<byte[]>(argv.Count + 1) { "/bin/sh"u8.ToArray(), path };
        for (int i = 1; i < argv.Count; i++) shell.Add(argv[i]);
        _shellArgv = Build(shell, out _);
        _argv = Build(argv, out _path, path);
        _displayName = _argv[0];
    }

    /// <summary>One native block: the pointer array, then the NUL-terminated strings (and optionally
    /// a path string first).</summary>
    private static byte** Build(IReadOnlyList<byte[]> argv, out byte* pathCopy, byte[]? path = null)
    {
        path ??= [];
        nuint size = (nuint)((argv.Count + 1) * sizeof(byte*)) + (nuint)path.Length + 1;
        foreach (var a in argv) size += (nuint)a.Length + 1;
        byte* block = (byte*)NativeMemory.Alloc(size);
        byte** array = (byte**)block;
        byte* cursor = block + (argv.Count + 1) * sizeof(byte*);
        pathCopy = cursor;
        cursor = Copy(path, cursor);
        for (int i = 0; i < argv.Count; i++)
        {
            array[i] = cursor;
            cursor = Copy(argv[i], cursor);
        }
        array[argv.Count] = null;
        return array;
    }

    private static byte* Copy(byte[] source, byte* destination)
    {
        source.AsSpan().CopyTo(new Span<byte>(destination, source.Length));
        destination[source.Length] = 0;
        return destination + source.Length + 1;
    }

    /// <summary>Replaces this process with the program (environment unchanged). Returns only on
    /// failure, with the kind of failure after printing the one-line reason.</summary>
    public LaunchErrorKind Execute()
    {
        Libc.execv(_path, _argv);
        int errno = Libc.Errno;
        if (errno == Libc.ENOEXEC)
        {
            Libc.execv(_shellArgv[0], _shellArgv);
            errno = Libc.Errno;
        }
        Span<byte> buf = stackalloc byte[2048];
        Diagnostics.Emit(new LineBuilder(buf).Append(Diagnostics.Prefix).Append(_displayName).Append(": "u8).AppendErrno(errno));
        return errno == Libc.ENOENT ? LaunchErrorKind.ProgramNotFound : LaunchErrorKind.CannotExecute;
    }
}
