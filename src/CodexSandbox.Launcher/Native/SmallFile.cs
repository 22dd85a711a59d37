namespace CodexSandbox.Launcher.Native;

/// <summary>Reads small files (/proc entries) through libc, before any limit is applied.</summary>
internal static unsafe class SmallFile
{
    /// <summary>The whole content of a (small, /proc) file, or null when it cannot be opened or read.</summary>
    public static byte[]? ReadAll(ReadOnlySpan<byte> nulTerminatedPath)
    {
        int fd;
        fixed (byte* p = nulTerminatedPath) fd = Libc.open(p, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (fd < 0) return null;
        try
        {
            byte[] data = new byte[4096];
            int length = 0;
            while (true)
            {
                if (length == data.Length) Array.Resize(ref data, data.Length * 2);
                nint n;
                fixed (byte* p = data) n = Libc.read(fd, p + length, data.Length - length);
                if (n < 0) return null;
                if (n == 0) break;
                length += (int)n;
            }
            return data.AsSpan(0, length).ToArray();
        }
        finally
        {
            Libc.close(fd);
        }
    }
}
