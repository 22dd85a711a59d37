using System.Runtime.InteropServices;
using CodexSandbox.Launcher.Cli;
using CodexSandbox.Launcher.Native;
using CodexSandbox.Launcher.Output;
using CodexSandbox.Launcher.Status;
using CodexSandbox.LauncherContract;

namespace CodexSandbox.Launcher.Supervise;

/// <summary>
/// --supervise: this process stays outside the sandbox as a child subreaper, starts a second copy of
/// the launcher (same arguments without --supervise) that applies the sandbox and execs the command,
/// and when the command exits SIGKILLs every process the command left behind (orphans are reparented
/// here), then exits with the command's status. SIGTERM, SIGINT, SIGHUP and SIGQUIT (and the death of this
/// process's parent, delivered as SIGTERM) kill the command and the rest of the tree the same way;
/// the status is then 128+that signal. A signal the caller started this process with ignored stays
/// ignored (and is inherited ignored by the command); if that is SIGTERM, the parent-death signal is
/// SIGKILL instead. Only SIGKILL of this process leaves descendants running.
/// </summary>
/// <remarks>This process applies no limits and no sandbox to itself, so it may allocate freely.</remarks>
internal static unsafe class Supervisor
{
    private const int PR_SET_PDEATHSIG = 1, PR_SET_CHILD_SUBREAPER = 36;

    /// <summary>Rounds of "list children, SIGKILL them, reap" before giving up; a round that finds
    /// live children it could not reap yet sleeps 1 ms, so this bounds the clean-up to a few seconds
    /// even against a fork storm that keeps producing orphans.</summary>
    public const int MaxRounds = 2000;

    private static readonly object s_gate = new();
    private static int s_command;     // pid while it may be signalled; 0 once it is being reaped
    private static int s_signal;      // first termination signal received, 0 if none
    private static PosixSignalRegistration[]? s_registrations;

    public static int Run(IReadOnlyList<byte[]> rawArgs, LaunchOptions options, int originalParent)
    {
        // 1. The caller's signal state, for the child: its mask, and which signals it ignores.
        ulong* mask = stackalloc ulong[Posix.SigSetBytes / 8];
        ulong* resetToDefault = stackalloc ulong[Posix.SigSetBytes / 8];
        Posix.pthread_sigmask(Posix.SIG_BLOCK, null, mask);
        Posix.sigemptyset(resetToDefault);
        ulong* action = stackalloc ulong[Posix.SigActionBytes / 8];
        bool termIgnored = false;
        for (int sig = 1; sig < Posix.NSIG; sig++)
        {
            if (sig is Posix.SIGKILL or 19) continue; // SIGSTOP
            if (Posix.sigaction(sig, null, action) == 0 && (nint)action[0] == Posix.SIG_IGN)
            {
                termIgnored |= sig == Posix.SIGTERM;
                continue;
            }
            Posix.AddSignal(resetToDefault, sig);
        }

        // 2. Children must become zombies we can wait for, even if the caller ignored SIGCHLD.
        SetDefault(Posix.SIGCHLD);

        if (Libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0)
            throw LauncherException.FromErrno(LaunchErrorKind.SetupFailed, "prctl(PR_SET_CHILD_SUBREAPER)"u8, Libc.Errno);

        // A signal the caller ignores stays ignored (the runtime installs no handler for it), as for
        // any program started in the background or under nohup.
        s_registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal),
        ];
        // The caller's death arrives as SIGTERM, so it also takes the whole tree down. If the caller
        // ignores SIGTERM, SIGKILL instead: this process and the command die (the command has its own
        // parent-death signal), what the command left behind does not.
        if (Libc.prctl(PR_SET_PDEATHSIG, termIgnored ? (nuint)Posix.SIGKILL : Posix.SIGTERM, 0, 0, 0) != 0)
            throw LauncherException.FromErrno(LaunchErrorKind.SetupFailed, "prctl(PR_SET_PDEATHSIG)"u8, Libc.Errno);
        if (Libc.getppid() != originalParent) throw LauncherException.Failure(LaunchErrorKind.ParentExited, "parent process exited");

        // 3. The sandboxed copy: same arguments minus --supervise, same environment. The status descriptor becomes
        // its descriptor 3 (its own --status-fd); this copy writes only that a supervisor stands behind the command,
        // then closes its end, so end-of-file still comes at the sandboxed copy's exec.
        var childArgs = new List<byte[]>(rawArgs.Count + 2) { "codex-linux-sandbox"u8.ToArray() };
        Span<int> passFds = stackalloc int[1];
        int passCount = 0;
        if (StatusReport.Descriptor >= 0)
        {
            const int ChildStatusFd = 3;
            int moved = StatusReport.MoveAtLeast(ChildStatusFd + 1);
            if (moved < 0) throw LauncherException.FromErrno(LaunchErrorKind.SetupFailed, Ascii.Bytes(LauncherOption.StatusFd), -moved);
            passFds[passCount++] = moved;
            childArgs.Add(Ascii.Bytes($"{LauncherOption.StatusFd}={ChildStatusFd}"));
            StatusReport.Supervised();
        }
        for (int i = 0; i < rawArgs.Count; i++)
            if (!options.OwnArgumentIndexes.Contains(i)) childArgs.Add(rawArgs[i]);
        byte** argv = SelfSpawn.Strings(childArgs);
        byte** envp = SelfSpawn.Strings(ReadEnvironment());

        int command;
        lock (s_gate)
        {
            command = SelfSpawn.Start(argv, envp, mask, resetToDefault, passFds[..passCount], nullStdio: false);
            if (command < 0) throw LauncherException.FromErrno(LaunchErrorKind.SetupFailed, "posix_spawn /proc/self/exe"u8, -command);
            s_command = command;
            if (s_signal != 0) Posix.kill(command, Posix.SIGKILL);
        }
        StatusReport.Close();

        // 4. Wait for the command, reaping orphans that exit meanwhile.
        int status = WaitForCommand(command);

        // 5. Everything the command left behind.
        bool clean = KillDescendants();
        int signal = Volatile.Read(ref s_signal);
        if (!clean)
        {
            Diagnostics.Error("processes started by the command kept appearing; gave up stopping them"u8);
            return LauncherExitCode.LauncherError;
        }
        return signal != 0 ? 128 + signal : status;
    }

    private static void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        int signo = context.Signal switch
        {
            PosixSignal.SIGHUP => Posix.SIGHUP,
            PosixSignal.SIGINT => Posix.SIGINT,
            PosixSignal.SIGQUIT => Posix.SIGQUIT,
            _ => Posix.SIGTERM,
        };
        lock (s_gate)
        {
            if (s_signal == 0) s_signal = signo;
            // s_command is cleared before the command is reaped, so this pid cannot have been reused.
            if (s_command > 0) Posix.kill(s_command, Posix.SIGKILL);
        }
    }

    private static void SetDefault(int signal) => Posix.SetDefaultAction(signal);

    /// <summary>Waits until the command exits and returns its shell status; other children (orphans
    /// reparented here) that exit meanwhile are reaped.</summary>
    private static int WaitForCommand(int command)
    {
        ulong* info = stackalloc ulong[Posix.SigInfoBytes / 8];
        while (true)
        {
            new Span<ulong>(info, Posix.SigInfoBytes / 8).Clear();
            // Look without reaping, so the command's pid stays ours until the signal handler can no
            // longer use it.
            if (Posix.waitid(Posix.P_ALL, 0, info, Posix.WEXITED | Posix.WNOWAIT | Posix.WALL) != 0)
            {
                if (Libc.Errno == Posix.EINTR) continue;
                Diagnostics.ErrorErrno("waitid"u8, Libc.Errno);
                return LauncherExitCode.LauncherError;
            }
            int pid = *(int*)((byte*)info + Posix.SigInfoPidOffset);
            if (pid <= 0) continue;
            if (pid == command)
            {
                lock (s_gate) s_command = 0;
            }
            int status;
            while (Posix.waitpid(pid, &status, Posix.WALL) < 0 && Libc.Errno == Posix.EINTR) { }
            if (pid == command) return Posix.ShellStatus(status);
        }
    }

    /// <summary>SIGKILLs this process's children, reaps them, and repeats (their own children are
    /// reparented here when they die) until none is left. False when <see cref="MaxRounds"/> ran out.</summary>
    private static bool KillDescendants()
    {
        int self = Posix.getpid();
        var children = new List<int>();
        TimeSpec pause = new() { Seconds = 0, Nanoseconds = 1_000_000 };
        for (int round = 0; round < MaxRounds; round++)
        {
            children.Clear();
            ChildList.Read(self, children);
            foreach (int pid in children) Posix.kill(pid, Posix.SIGKILL);

            while (true)
            {
                int status;
                int pid = Posix.waitpid(-1, &status, Posix.WNOHANG | Posix.WALL);
                if (pid > 0) continue;
                if (pid == 0) break; // live children remain
                int errno = Libc.Errno;
                if (errno == Posix.EINTR) continue;
                if (errno == Posix.ECHILD) return true;
                Diagnostics.ErrorErrno("waitpid"u8, errno);
                return false;
            }
            // SIGKILLed processes need a moment to finish exiting.
            Posix.nanosleep(&pause, null);
        }
        return false;
    }

    /// <summary>The environment this process was started with (/proc/self/environ), as NAME=VALUE entries.</summary>
    private static List<byte[]> ReadEnvironment()
    {
        byte[] data = SmallFile.ReadAll("/proc/self/environ\0"u8)
            ?? throw LauncherException.FromErrno(LaunchErrorKind.SetupFailed, "/proc/self/environ"u8, Libc.Errno);
        var entries = new List<byte[]>();
        int start = 0;
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] != 0) continue;
            if (i > start) entries.Add(data.AsSpan(start, i - start).ToArray());
            start = i + 1;
        }
        if (start < data.Length) entries.Add(data.AsSpan(start).ToArray());
        return entries;
    }
}
