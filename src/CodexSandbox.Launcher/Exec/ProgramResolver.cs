using CodexSandbox.Launcher.Cli;
using CodexSandbox.Launcher.Native;
using CodexSandbox.LauncherContract;

namespace CodexSandbox.Launcher.Exec;

/// <summary>Finds PROGRAM the way execvp does (PATH search unless the name has a slash), but ahead of
/// time: after the limits and filters nothing may be searched or allocated.</summary>
internal static unsafe class ProgramResolver
{
    // glibc's execvp default when PATH is unset.
    private static ReadOnlySpan<byte> DefaultPath => "/bin:/usr/bin"u8;

    public static byte[] Resolve(byte[] program)
    {
        if (program.AsSpan().IndexOf((byte)'/') >= 0)
        {
            byte[] direct = Terminated(program);
            int type;
            fixed (byte* p = direct) type = FileType.Of(p);
            if (type < 0)
                throw LauncherException.FromErrno(-type == Libc.ENOENT ? LaunchErrorKind.ProgramNotFound : LaunchErrorKind.CannotExecute, program, -type);
            return program;
        }

        ReadOnlySpan<byte> searchPath;
        fixed (byte* name = "PATH\0"u8)
        {
            byte* env = Libc.getenv(name);
            searchPath = env == null ? DefaultPath : new ReadOnlySpan<byte>(env, Output.LineBuilder.Strlen(env));
        }

        // Like a shell: directories and unreadable entries are skipped; a non-executable regular
        // file is remembered so the error says "Permission denied" (126) rather than "not found".
        bool sawUnexecutable = false;
        while (true)
        {
            int colon = searchPath.IndexOf((byte)':');
            ReadOnlySpan<byte> dir = colon < 0 ? searchPath : searchPath[..colon];
            byte[] candidate = Join(dir, program);
            fixed (byte* p = candidate)
            {
                int type = FileType.Of(p);
                if (type == Libc.S_IFREG)
                {
                    if (Libc.access(p, Libc.X_OK) == 0) return candidate[..^1];
                    sawUnexecutable = true;
                }
            }
            if (colon < 0) break;
            searchPath = searchPath[(colon + 1)..];
        }
        if (sawUnexecutable) throw LauncherException.FromErrno(LaunchErrorKind.CannotExecute, program, Libc.EACCES);
        throw new LauncherException(LaunchErrorKind.ProgramNotFound, [.. program, .. ": command not found"u8]);
    }

    /// <summary>"dir/program\0"; an empty PATH entry means the current directory, as for execvp.</summary>
    private static byte[] Join(ReadOnlySpan<byte> dir, byte[] program)
    {
        if (dir.IsEmpty) dir = "."u8;
        var result = new byte[dir.Length + 1 + program.Length + 1];
        dir.CopyTo(result);
        result[dir.Length] = (byte)'/';
        program.CopyTo(result, dir.Length + 1);
        return result;
    }

    private static byte[] Terminated(byte[] value)
    {
        var result = new byte[value.Length + 1];
        value.CopyTo(result, 0);
        return result;
    }
}
