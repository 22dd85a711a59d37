namespace CodexSandbox.Launcher.Native;

/// <summary>File type of a path, read with statx (its layout is the same on every architecture, unlike struct stat).</summary>
internal static unsafe class FileType
{
    /// <summary>The S_IFMT bits of <paramref name="path"/> (following symlinks), or -errno.</summary>
    public static int Of(byte* path)
    {
        byte* buf = stackalloc byte[Libc.StatxSize];
        if (Libc.statx(Libc.AT_FDCWD, path, 0, Libc.STATX_TYPE, buf) != 0)
            return -Libc.Errno;
        return *(ushort*)(buf + Libc.StatxModeOffset) & Libc.S_IFMT;
    }

    /// <summary>The S_IFMT bits of an open descriptor, or -errno.</summary>
    public static int OfDescriptor(int fd)
    {
        byte* buf = stackalloc byte[Libc.StatxSize];
        byte empty = 0;
        if (Libc.statx(fd, &empty, Libc.AT_EMPTY_PATH, Libc.STATX_TYPE, buf) != 0)
            return -Libc.Errno;
        return *(ushort*)(buf + Libc.StatxModeOffset) & Libc.S_IFMT;
    }
}
