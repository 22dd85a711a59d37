using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text;

namespace CodexSandbox.Engine.Execution;

/// <summary>
/// Starts a child with posix_spawn (glibc: clone(CLONE_VM|CLONE_VFORK) + exec, safe in a multi-threaded process,
/// and exec failures come back as the return value). Unlike <see cref="System.Diagnostics.Process"/> it can hand the
/// child one more descriptor at a fixed number (the launcher's status record), and it closes every other inherited
/// descriptor in the child. Linux (glibc 2.29+ for addchdir_np; 2.34+ for addclosefrom_np) on x86_64 and aarch64.
/// </summary>
internal static unsafe class PosixSpawn
{
    private const string Lib = "libc";

    // posix_spawn and its helpers return an error number instead of setting errno.
    [DllImport(Lib)] private static extern int posix_spawn(int* pid, byte* path, void* fileActions, void* attributes, byte** argv, byte** envp);
    [DllImport(Lib)] private static extern int posix_spawn_file_actions_init(void* fileActions);
    [DllImport(Lib)] private static extern int posix_spawn_file_actions_destroy(void* fileActions);
    [DllImport(Lib)] private static extern int posix_spawn_file_actions_adddup2(void* fileActions, int fd, int newFd);
    [DllImport(Lib)] private static extern int posix_spawn_file_actions_addopen(void* fileActions, int fd, byte* path, int flags, uint mode);
    [DllImport(Lib)] private static extern int posix_spawn_file_actions_addchdir_np(void* fileActions, byte* path);
    [DllImport(Lib)] private static extern int posix_spawn_file_actions_addclosefrom_np(void* fileActions, int from);
    [DllImport(Lib)] private static extern int posix_spawnattr_init(void* attributes);
    [DllImport(Lib)] private static extern int posix_spawnattr_destroy(void* attributes);
    [DllImport(Lib)] private static extern int posix_spawnattr_setflags(void* attributes, short flags);
    [DllImport(Lib)] private static extern int posix_spawnattr_setsigmask(void* attributes, void* set);
    [DllImport(Lib)] private static extern int posix_spawnattr_setsigdefault(void* attributes, void* set);
    [DllImport(Lib, SetLastError = true)] private static extern int pipe2(int* fds, int flags);
    [DllImport(Lib, SetLastError = true)] private static extern int close(int fd);
    // Variadic in C; on x86_64 and aarch64 Linux a variadic integer travels in the same register as a fixed one, and
    // glibc reads F_DUPFD_CLOEXEC's argument as an int-sized value from it (see LinuxNative for the same reasoning).
    [DllImport(Lib, SetLastError = true)] private static extern int fcntl(int fd, int command, nint argument);
    [DllImport(Lib)] private static extern byte* strerror(int errnum);

    private const int O_RDONLY = 0, O_RDWR = 2, O_CLOEXEC = 0x80000, F_DUPFD_CLOEXEC = 1030;
    private const short POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08, POSIX_SPAWN_SETSID = 0x80;
    private const int E2BIG = 7;

    /// <summary>glibc's objects are at most these sizes (x86_64 and aarch64: file actions 80, attributes 336, sigset_t 128).</summary>
    private const int FileActionsBytes = 128, AttributesBytes = 512, SigSetBytes = 128;

    private static bool s_closeFromMissing;

    /// <summary>The started child: its pid and the parent's read ends of its pipes (close-on-exec, so no other child
    /// inherits them; the caller closes them). <see cref="Status"/> is -1 without a status descriptor.</summary>
    public readonly record struct Child(int Pid, int Stdout, int Stderr, int Status);

    /// <summary>
    /// Starts <paramref name="spec"/>: stdin is /dev/null (the child reads end-of-file at once, it never waits on the
    /// caller's terminal), stdout and stderr are pipes, the status pipe's write end is descriptor
    /// <see cref="ProcessSpec.StatusDescriptor"/>, nothing else is inherited; the working directory and the environment
    /// are exactly the spec's; the signal mask is empty and every signal has its default action (the .NET runtime
    /// ignores SIGPIPE, which execve would otherwise pass on). Throws <see cref="Win32Exception"/> with the errno when
    /// the program cannot be started (E2BIG for an argument list over the kernel's limit).
    /// </summary>
    /// <param name="terminal">An interactive run (<see cref="ProcessSpec.Terminal"/>): descriptors 0, 1 and 2 are its
    /// slave instead of /dev/null and the pipes (<see cref="Child.Stdout"/> and <see cref="Child.Stderr"/> are -1).</param>
    public static Child Start(ProcessSpec spec, PseudoTerminal? terminal = null)
    {
        string program = Resolve(spec.Program);
        var argv = new List<string>(spec.Arguments.Count + 1) { spec.Program };
        argv.AddRange(spec.Arguments);
        var envp = spec.Environment.Select(kv => kv.Key + "=" + kv.Value).ToList();
        foreach (var text in argv.Concat(envp))
        {
            if (text.Contains('\0')) throw new ArgumentException($"An argument or environment variable contains a NUL character, which no program can receive: '{text.Replace("\0", "\\0", StringComparison.Ordinal)}'.");
        }

        int* stdout = stackalloc int[2] { -1, -1 };
        int* stderr = stackalloc int[2] { -1, -1 };
        int* status = stackalloc int[2] { -1, -1 };
        try
        {
            // The write ends become 1, 2 and the status descriptor in the child by dup2, so none may already hold one of
            // those numbers (a host that closed its own stdout would get 1 from pipe2).
            int lowest = Math.Max(3, (spec.StatusDescriptor ?? 0) + 1);
            if (terminal is null)
            {
                Pipe(stdout, lowest);
                Pipe(stderr, lowest);
            }
            if (spec.StatusDescriptor is not null) Pipe(status, lowest);
            var stdio = terminal is null ? new Stdio(stdout[1], stderr[1], -1, null, false)
                : new Stdio(-1, -1, terminal.Slave, terminal.SlavePath, spec.Terminal == ChildTerminal.NewSession);
            int pid = Spawn(program, argv, envp, spec.WorkingDirectory, stdio, status[1], spec.StatusDescriptor ?? -1);
            var child = new Child(pid, stdout[0], stderr[0], status[0]);
            stdout[0] = stderr[0] = status[0] = -1;
            return child;
        }
        finally
        {
            // The child holds its own copies of the write ends; the parent's must go, or the reads never end.
            foreach (int fd in new[] { stdout[0], stdout[1], stderr[0], stderr[1], status[0], status[1] })
            {
                if (fd >= 0) close(fd);
            }
        }
    }

    /// <summary>A close-on-exec pipe whose write end is numbered <paramref name="lowest"/> or higher.</summary>
    private static void Pipe(int* fds, int lowest)
    {
        if (pipe2(fds, O_CLOEXEC) != 0) throw Failure("pipe2");
        if (fds[1] >= lowest) return;
        int raised = fcntl(fds[1], F_DUPFD_CLOEXEC, lowest);
        if (raised < 0) throw Failure("fcntl(F_DUPFD_CLOEXEC)");
        close(fds[1]);
        fds[1] = raised;
    }

    private static Win32Exception Failure(string what)
    {
        int errno = Marshal.GetLastPInvokeError();
        return new Win32Exception(errno, $"{what} failed: {Describe(errno)}");
    }

    /// <summary>What descriptors 0-2 of the child are: /dev/null and two pipe write ends, or a pseudo-terminal's slave
    /// (inherited as a descriptor, or opened by its path after setsid so that it becomes the new session's controlling
    /// terminal).</summary>
    private readonly record struct Stdio(int StdoutWrite, int StderrWrite, int TerminalSlave, string? TerminalPath, bool NewSession);

    private static int Spawn(string program, List<string> argv, List<string> envp, string workingDirectory, Stdio stdio, int statusWrite, int statusTarget)
    {
        byte** nativeArgv = Strings(argv);
        byte** nativeEnvp = Strings(envp);
        byte* actions = (byte*)NativeMemory.AllocZeroed(FileActionsBytes);
        byte* attributes = (byte*)NativeMemory.AllocZeroed(AttributesBytes);
        ulong* emptyMask = stackalloc ulong[SigSetBytes / 8];
        ulong* allSignals = stackalloc ulong[SigSetBytes / 8];
        new Span<ulong>(emptyMask, SigSetBytes / 8).Clear();
        new Span<ulong>(allSignals, SigSetBytes / 8).Clear();
        // Signals 1-64 set directly (sigaddset refuses glibc's internal 32 and 33, which the child would otherwise keep ignored).
        allSignals[0] = ulong.MaxValue;
        bool actionsReady = false, attributesReady = false;
        try
        {
            Check(posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
            actionsReady = true;
            Check(posix_spawnattr_init(attributes), "posix_spawnattr_init");
            attributesReady = true;

            short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
            if (stdio.NewSession)
            {
                // glibc runs setsid before the file actions, so this open (without O_NOCTTY) makes the slave the new
                // session's controlling terminal.
                flags |= POSIX_SPAWN_SETSID;
                fixed (byte* path = Encoding.UTF8.GetBytes(stdio.TerminalPath + "\0"))
                    Check(posix_spawn_file_actions_addopen(actions, 0, path, O_RDWR, 0), "addopen");
                Check(posix_spawn_file_actions_adddup2(actions, 0, 1), "adddup2");
                Check(posix_spawn_file_actions_adddup2(actions, 0, 2), "adddup2");
            }
            else if (stdio.TerminalSlave >= 0)
            {
                Check(posix_spawn_file_actions_adddup2(actions, stdio.TerminalSlave, 0), "adddup2");
                Check(posix_spawn_file_actions_adddup2(actions, stdio.TerminalSlave, 1), "adddup2");
                Check(posix_spawn_file_actions_adddup2(actions, stdio.TerminalSlave, 2), "adddup2");
            }
            else
            {
                fixed (byte* devNull = "/dev/null\0"u8)
                    Check(posix_spawn_file_actions_addopen(actions, 0, devNull, O_RDONLY, 0), "addopen");
                Check(posix_spawn_file_actions_adddup2(actions, stdio.StdoutWrite, 1), "adddup2");
                Check(posix_spawn_file_actions_adddup2(actions, stdio.StderrWrite, 2), "adddup2");
            }
            // dup2 clears close-on-exec on the copy only (Pipe keeps every source above the targets).
            if (statusWrite >= 0) Check(posix_spawn_file_actions_adddup2(actions, statusWrite, statusTarget), "adddup2");
            fixed (byte* cwd = Encoding.UTF8.GetBytes(workingDirectory + "\0"))
                Check(posix_spawn_file_actions_addchdir_np(actions, cwd), "addchdir_np");
            CloseOthers(actions, statusWrite >= 0 ? statusTarget + 1 : 3);

            Check(posix_spawnattr_setsigmask(attributes, emptyMask), "setsigmask");
            Check(posix_spawnattr_setsigdefault(attributes, allSignals), "setsigdefault");
            Check(posix_spawnattr_setflags(attributes, flags), "setflags");

            int pid;
            int error;
            fixed (byte* path = Encoding.UTF8.GetBytes(program + "\0"))
                error = posix_spawn(&pid, path, actions, attributes, nativeArgv, nativeEnvp);
            if (error != 0)
            {
                throw new Win32Exception(error, error == E2BIG
                    ? $"The argument list and environment of '{program}' are too long for the kernel ({Describe(error)})."
                    : $"An error occurred trying to start process '{program}' with working directory '{workingDirectory}'. {Describe(error)}");
            }
            return pid;
        }
        finally
        {
            if (attributesReady) posix_spawnattr_destroy(attributes);
            if (actionsReady) posix_spawn_file_actions_destroy(actions);
            NativeMemory.Free(attributes);
            NativeMemory.Free(actions);
            NativeMemory.Free(nativeArgv);
            NativeMemory.Free(nativeEnvp);
        }
    }

    /// <summary>Every descriptor from <paramref name="from"/> up is closed in the child: what this process holds
    /// without close-on-exec (a host library's log file, a socket) never reaches the command.</summary>
    private static void CloseOthers(void* actions, int from)
    {
        if (Volatile.Read(ref s_closeFromMissing)) return;
        try
        {
            Check(posix_spawn_file_actions_addclosefrom_np(actions, from), "addclosefrom_np");
        }
        catch (EntryPointNotFoundException)
        {
            // glibc before 2.34: as with Process, only close-on-exec keeps descriptors out (the launcher closes the rest itself).
            Volatile.Write(ref s_closeFromMissing, true);
        }
    }

    private static void Check(int error, string what)
    {
        if (error != 0) throw new Win32Exception(error, $"posix_spawn {what} failed: {Describe(error)}");
    }

    private static string Describe(int errno) => Marshal.PtrToStringUTF8((nint)strerror(errno)) ?? $"errno {errno}";

    /// <summary>A name without a slash is looked up in this process's PATH, as Process does; a path is used as is.</summary>
    private static string Resolve(string program)
    {
        if (program.Contains('/')) return program;
        foreach (var dir in (System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate)) return candidate;
        }
        return program;
    }

    /// <summary>A NULL-terminated array of NUL-terminated UTF-8 strings in one native block (freed by the caller).</summary>
    private static byte** Strings(List<string> items)
    {
        nuint size = (nuint)((items.Count + 1) * sizeof(byte*));
        foreach (var item in items) size += (nuint)Encoding.UTF8.GetByteCount(item) + 1;
        byte* block = (byte*)NativeMemory.Alloc(size);
        byte** array = (byte**)block;
        byte* cursor = block + (items.Count + 1) * sizeof(byte*);
        byte* end = block + size;
        for (int i = 0; i < items.Count; i++)
        {
            array[i] = cursor;
            int written = Encoding.UTF8.GetBytes(items[i], new Span<byte>(cursor, (int)(end - cursor)));
            cursor[written] = 0;
            cursor += written + 1;
        }
        array[items.Count] = null;
        return (byte**)block;
    }
}
