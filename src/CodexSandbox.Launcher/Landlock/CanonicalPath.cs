using CodexSandbox.Launcher.Cli;
using CodexSandbox.Launcher.Native;
using CodexSandbox.LauncherContract;

namespace CodexSandbox.Launcher.Landlock;

/// <summary>realpath of a path option, resolved before any restriction (relative to the directory
/// after --chdir). Landlock judges an access by the path the kernel walked, which never holds a
/// symlink, so every rule and every --deny comparison is made on the resolved form.</summary>
internal static unsafe class CanonicalPath
{
    /// <summary>The absolute path without symlinks, "." or "..", or null when it does not exist
    /// (ENOENT, or ENOTDIR for a component that is not a directory). Any other failure is a
    /// launcher error naming <paramref name="option"/>.</summary>
    public static byte[]? Resolve(string option, byte[] path)
    {
        byte[] terminated = [.. path, 0];
        byte* resolved = stackalloc byte[PathCalls.PathMax];
        byte* result;
        fixed (byte* p = terminated) result = PathCalls.realpath(p, resolved);
        if (result == null)
        {
            int errno = Libc.Errno;
            if (errno is Libc.ENOENT or PathCalls.ENOTDIR) return null;
            throw LauncherException.FromErrno(LaunchErrorKind.SetupFailed, [.. Ascii.Bytes(option), (byte)' ', .. path], errno);
        }
        return new ReadOnlySpan<byte>(resolved, Output.LineBuilder.Strlen(resolved)).ToArray();
    }
}
