using System.Runtime.InteropServices;

namespace CodexSandbox.Launcher.Native;

/// <summary>Starts another copy of this executable with posix_spawn (clone(CLONE_VM|CLONE_VFORK) + exec
/// in glibc, so it is safe in a multi-threaded process: no managed code runs in the child before exec).</summary>
internal static unsafe class SelfSpawn
{
    private static ReadOnlySpan<byte> SelfExe => "/proc/self/exe\0"u8;
    private static ReadOnlySpan<byte> DevNull => "/dev/null\0"u8;

    /// <summary>A NULL-terminated array of NUL-terminated strings in one native block. It is never
    /// freed: the process execs or exits soon after.</summary>
    public static byte** Strings(IReadOnlyList<byte[]> items)
    {
        nuint size = (nuint)((items.Count + 1) * sizeof(byte*));
        foreach (var item in items) size += (nuint)item.Length + 1;
        byte* block = (byte*)NativeMemory.Alloc(size);
        byte** array = (byte**)block;
        byte* cursor = block + (items.Count + 1) * sizeof(byte*);
        for (int i = 0; i < items.Count; i++)
        {
            array[i] = cursor;
            items[i].AsSpan().CopyTo(new Span<byte>(cursor, items[i].Length));
            cursor[items[i].Length] = 0;
            cursor += items[i].Length + 1;
        }
        array[items.Count] = null;
        return array;
    }

    /// <summary>Returns a close-on-exec duplicate of <paramref name="fd"/> numbered at least
    /// <paramref name="minimum"/> and closes the original, or -errno.</summary>
    public static int MoveAtLeast(int fd, int minimum)
    {
        if (fd >= minimum) return fd;
        int moved = Posix.fcntl(fd, Posix.F_DUPFD_CLOEXEC, (nint)minimum);
        if (moved < 0) return -Libc.Errno;
        Libc.close(fd);
        return moved;
    }

    /// <summary>posix_spawn of /proc/self/exe. <paramref name="passFds"/>[i] becomes descriptor 3+i in
    /// the child (each must already be numbered 3+passFds.Length or higher); every other descriptor
    /// from 3 up is closed; stdin and stdout are /dev/null when <paramref name="nullStdio"/>.
    /// <paramref name="sigMask"/> and <paramref name="sigDefault"/> (sigset_t, may be null) become
    /// the child's signal mask and the signals reset to SIG_DFL. Returns the pid, or -errno.</summary>
    public static int Start(byte** argv, byte** envp, void* sigMask, void* sigDefault, ReadOnlySpan<int> passFds, bool nullStdio)
    {
        ulong* actions = stackalloc ulong[Posix.FileActionsBytes / 8];
        ulong* attributes = stackalloc ulong[Posix.SpawnAttrBytes / 8];
        int error = Posix.posix_spawn_file_actions_init(actions);
        if (error != 0) return -error;
        error = Posix.posix_spawnattr_init(attributes);
        if (error != 0)
        {
            Posix.posix_spawn_file_actions_destroy(actions);
            return -error;
        }
        try
        {
            if (nullStdio)
            {
                fixed (byte* devNull = DevNull)
                {
                    error = Posix.posix_spawn_file_actions_addopen(actions, 0, devNull, Libc.O_RDONLY, 0);
                    if (error == 0) error = Posix.posix_spawn_file_actions_addopen(actions, 1, devNull, Libc.O_WRONLY, 0);
                }
                if (error != 0) return -error;
            }
            for (int i = 0; i < passFds.Length; i++)
            {
                error = Posix.posix_spawn_file_actions_adddup2(actions, passFds[i], 3 + i);
                if (error != 0) return -error;
            }
            error = Posix.posix_spawn_file_actions_addclosefrom_np(actions, 3 + passFds.Length);
            if (error != 0) return -error;

            short flags = 0;
            if (sigMask != null)
            {
                flags |= Posix.POSIX_SPAWN_SETSIGMASK;
                Posix.posix_spawnattr_setsigmask(attributes, sigMask);
            }
            if (sigDefault != null)
            {
                flags |= Posix.POSIX_SPAWN_SETSIGDEF;
                Posix.posix_spawnattr_setsigdefault(attributes, sigDefault);
            }
            Posix.posix_spawnattr_setflags(attributes, flags);

            int pid;
            fixed (byte* path = SelfExe) error = Posix.posix_spawn(&pid, path, actions, attributes, argv, envp);
            return error != 0 ? -error : pid;
        }
        finally
        {
            Posix.posix_spawnattr_destroy(attributes);
            Posix.posix_spawn_file_actions_destroy(actions);
        }
    }
}
