using CodexSandbox.Launcher.Cli;
using CodexSandbox.Launcher.Limits;
using CodexSandbox.Launcher.Native;
using CodexSandbox.Launcher.Output;
using CodexSandbox.Launcher.Privileges;
using CodexSandbox.Launcher.Seccomp;
using CodexSandbox.LauncherContract;

namespace CodexSandbox.Launcher.Relay;

/// <summary>
/// The hidden relay mode: <c>codex-linux-sandbox --relay-process SOCKETPATH...</c>, started by
/// <see cref="RelayStarter"/> with fd 3 = a pidfd of the launcher (the command after exec),
/// fds 4.. = the 127.0.0.1 listeners, one per SOCKETPATH, and after them the write end of the ready
/// pipe the launcher waits on before it lets the command start. It confines itself (no_new_privs, no
/// capabilities, parent-death SIGKILL, new session, RLIMIT_NOFILE, a Landlock domain of its own
/// with no filesystem access and no TCP bind/connect, signal and abstract-socket scoping, and two
/// seccomp filters: the launcher's base deny-list plus AF_UNIX-stream-only sockets, no bind/listen,
/// no execve, no new processes) and then only pumps bytes until the command's process is gone.
/// </summary>
internal static unsafe class RelayProcess
{
    public static ReadOnlySpan<byte> Marker => "--relay-process"u8;

    private const int PidFd = 3, FirstListener = 4;

    /// <summary>The byte written on the ready pipe once every restriction is in place.</summary>
    public const byte Confined = (byte)'c';

    public static int Run(string[] managedArgs, int parent)
    {
        RelayPump pump;
        ResourceLimits limits;
        RelayConfinement confinement;
        SeccompFilter baseFilter;
        nint capset;
        int readyFd;
        try
        {
            List<byte[]> args = CommandLineReader.Read(managedArgs);
            if (args.Count < 2 || !args[0].AsSpan().SequenceEqual(Marker)) throw LauncherException.Usage("--relay-process: expected SOCKETPATH...");
            var paths = args.GetRange(1, args.Count - 1);
            readyFd = FirstListener + paths.Count;
            for (int i = 0; i < paths.Count; i++)
                if (!IsListeningSocket(FirstListener + i)) throw LauncherException.Usage("--relay-process: descriptor is not a listening socket");

            SyscallTable table = SyscallTable.ForCurrentProcess()
                ?? throw LauncherException.Failure(LaunchErrorKind.UnsupportedArchitecture, "unsupported CPU architecture (x86_64 and aarch64 only)");
            capset = table.Capset;
            pump = new RelayPump(PidFd, FirstListener, paths);
            limits = new ResourceLimits(new LaunchOptions { OpenFiles = (ulong)(FirstListener + paths.Count + 2 * RelayPump.MaxConnections + 8) });
            confinement = new RelayConfinement(table);
            // The command's base deny-list (ptrace, mount, io_uring, namespaces, bpf, ... and the
            // metadata calls), with no socket rules of its own; RelayConfinement adds those.
            baseFilter = new SeccompFilter(table, new LaunchOptions { Mode = LauncherSandboxMode.ReadOnly, Network = LauncherNetworkMode.On });
        }
        catch (LauncherException e)
        {
            Diagnostics.Error(e.Utf8Message);
            return e.ExitCode;
        }

        if (!PrivilegeDrop.Apply(parent, capset)) return LauncherExitCode.LauncherError;
        if (!limits.Apply()) return LauncherExitCode.LauncherError;
        if (!confinement.Restrict()) return LauncherExitCode.LauncherError;
        if (!baseFilter.Install()) return LauncherExitCode.LauncherError;
        if (!confinement.InstallFilter()) return LauncherExitCode.LauncherError;
        if (!ReportConfined(readyFd)) return LauncherExitCode.LauncherError;
        return pump.Run();
    }

    private static bool ReportConfined(int readyFd)
    {
        byte confined = Confined;
        nint n;
        do n = Libc.write(readyFd, &confined, 1);
        while (n < 0 && Libc.Errno == Posix.EINTR);
        Libc.close(readyFd);
        return n == 1;
    }

    private static bool IsListeningSocket(int fd)
    {
        int value = 0, length = sizeof(int);
        return Posix.getsockopt(fd, Posix.SOL_SOCKET, Posix.SO_ACCEPTCONN, &value, &length) == 0 && value == 1;
    }
}
