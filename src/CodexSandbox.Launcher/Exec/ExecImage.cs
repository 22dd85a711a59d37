using System.Runtime.InteropServices;
using CodexSandbox.Launcher.Native;
using CodexSandbox.Launcher.Output;

namespace CodexSandbox.Launcher.Exec;

/// <summary>The resolved program path and a NUL-terminated argv, laid out in one native block before
/// any limit is applied, so exec needs no allocation.</summary>
internal sealed unsafe class ExecImage
{
    private readonly byte* _path;
    private readonly byte** _argv;
    private readonly byte* _displayName;

    public ExecImage(byte[] path, IReadOnlyList<byte[]> argv)
    {
        nuint size = (nuint)((argv.Count + 1) * sizeof(byte*)) + (nuint)path.Length + 1;
        foreach (var a in argv) size += (nuint)a.Length + 1;
        byte* block = (byte*)NativeMemory.Alloc(size);
        _argv = (byte**)block;
        byte* cursor = block + (argv.Count + 1) * sizeof(byte*);
        _path = cursor;
        cursor = Copy(path, cursor);
        for (int i = 0; i < argv.Count; i++)
        {
            _argv[i] = cursor;
            cursor = Copy(argv[i], cursor);
        }
        _argv[argv.Count] = null;
        _displayName = _argv[0];
    }

    private static byte* Copy(byte[] source, byte* destination)
    {
        source.AsSpan().CopyTo(new Span<byte>(destination, source.Length));
        destination[source.Length] = 0;
        return destination + source.Length + 1;
    }

    /// <summary>Replaces this process with the program (environment unchanged). Returns only on
    /// failure, with the exit code after printing the one-line reason.</summary>
    public int Execute()
    {
        Libc.execv(_path, _argv);
        int errno = Libc.Errno;
        Span<byte> buf = stackalloc byte[2048];
        new LineBuilder(buf).Append(Diagnostics.Prefix).Append(_displayName).Append(": "u8).AppendErrno(errno)
            .WriteLineTo(Diagnostics.StdErr);
        return errno == Libc.ENOENT ? 127 : 126;
    }
}
