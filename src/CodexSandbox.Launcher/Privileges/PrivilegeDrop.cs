using System.Runtime.InteropServices;
using CodexSandbox.Launcher.Native;
using CodexSandbox.Launcher.Output;

namespace CodexSandbox.Launcher.Privileges;

/// <summary>no_new_privs, every capability gone (bounding, ambient, effective, permitted, inheritable),
/// SIGKILL when the parent dies, and a new session so the command has no controlling terminal to
/// inject keystrokes into.</summary>
internal static unsafe class PrivilegeDrop
{
    private const int PR_SET_PDEATHSIG = 1, PR_CAPBSET_DROP = 24, PR_SET_SECUREBITS = 28;
    private const int PR_SET_NO_NEW_PRIVS = 38, PR_CAP_AMBIENT = 47, PR_CAP_AMBIENT_CLEAR_ALL = 4;
    private const int SIGKILL = 9;
    private const nuint TIOCSCTTY = 0x540E;
    private const uint LINUX_CAPABILITY_VERSION_3 = 0x20080522;

    // NOROOT(+locked): uid 0 gains no capabilities on execve; KEEP_CAPS_LOCKED; NO_CAP_AMBIENT_RAISE(+locked).
    private const uint SecureBits = 0x01 | 0x02 | 0x20 | 0x40 | 0x80;

    [StructLayout(LayoutKind.Sequential)]
    internal struct CapHeader { public uint Version; public int Pid; }

    [StructLayout(LayoutKind.Sequential)]
    internal struct CapData { public uint Effective; public uint Permitted; public uint Inheritable; }

    /// <summary>Applies everything; on failure prints one line and returns false.</summary>
    public static bool Apply(int originalParent, nint capsetSyscall) => Apply(originalParent, capsetSyscall, controllingTerminal: false, out _, out _);

    /// <param name="boundingSetDropped">False when the caller had no CAP_SETPCAP (and so nothing to drop).</param>
    /// <param name="controllingTerminal">--controlling-terminal: stdin becomes the controlling terminal of the session.</param>
    /// <param name="newSession">False when this process already led a process group and kept its session.</param>
    public static bool Apply(int originalParent, nint capsetSyscall, bool controllingTerminal, out bool boundingSetDropped, out bool newSession)
    {
        boundingSetDropped = true;
        newSession = false;
        if (Libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return Fail("prctl(PR_SET_NO_NEW_PRIVS)"u8, Libc.Errno);

        // Needs CAP_SETPCAP: an unprivileged caller has no capabilities to lose, so EPERM is fine there.
        Libc.prctl(PR_SET_SECUREBITS, SecureBits, 0, 0, 0);

        // One call per capability until EINVAL (past CAP_LAST_CAP). EPERM: no CAP_SETPCAP (an
        // unprivileged caller, or root inside bwrap --cap-drop ALL); the kernel checks that first, so
        // every later call would fail the same way. Such a caller holds nothing to drop, and with
        // no_new_privs and empty permitted/inheritable sets execve grants nothing from the bounding set.
        for (nuint cap = 0; cap < 64; cap++)
        {
            if (Libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0) continue;
            int errno = Libc.Errno;
            if (errno == Libc.EPERM) boundingSetDropped = false;
            if (errno is Libc.EINVAL or Libc.EPERM) break;
            return Fail("prctl(PR_CAPBSET_DROP)"u8, errno);
        }

        if (Libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && Libc.Errno != Libc.EINVAL)
            return Fail("prctl(PR_CAP_AMBIENT_CLEAR_ALL)"u8, Libc.Errno);

        CapHeader header = new() { Version = LINUX_CAPABILITY_VERSION_3, Pid = 0 };
        CapData* data = stackalloc CapData[2];
        data[0] = default;
        data[1] = default;
        if (Libc.syscall(capsetSyscall, (nint)(&header), (nint)data, 0, 0, 0) != 0) return Fail("capset"u8, Libc.Errno);

        if (Libc.prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) return Fail("prctl(PR_SET_PDEATHSIG)"u8, Libc.Errno);
        // The parent may have gone before the death signal was armed.
        if (Libc.getppid() != originalParent)
        {
            Diagnostics.Error("parent process exited"u8);
            return false;
        }

        // EPERM means this process already leads a process group (started as a shell job); it keeps
        // the terminal then, and the seccomp filter still refuses TIOCSTI/TIOCLINUX.
        if (Libc.setsid() >= 0) newSession = true;
        else if (Libc.Errno != Libc.EPERM) return Fail("setsid"u8, Libc.Errno);
        return !controllingTerminal || TakeTerminal();
    }

    /// <summary>
    /// Makes stdin (the caller's pseudo-terminal, inherited as a descriptor, so it is reachable inside bubblewrap too)
    /// the controlling terminal of this session: the line discipline then turns Ctrl+C into SIGINT for the command's
    /// foreground process group, and shells get job control. Only a session leader without a terminal can do this
    /// (a fresh setsid, or bubblewrap's --new-session); argument 0 never steals a terminal another session holds.
    /// Typed keystrokes still cannot be injected: the seccomp filter installed next refuses TIOCSTI and TIOCLINUX.
    /// </summary>
    private static bool TakeTerminal()
    {
        if (Libc.getsid(0) != Posix.getpid())
        {
            Diagnostics.Error("--controlling-terminal: this process does not lead a session (it was started as a shell job), so it cannot take a terminal"u8);
            return false;
        }
        return Libc.ioctl(0, TIOCSCTTY, 0) == 0 || Fail("ioctl(TIOCSCTTY) on stdin"u8, Libc.Errno);
    }

    private static bool Fail(ReadOnlySpan<byte> what, int errno)
    {
        Diagnostics.ErrorErrno(what, errno);
        return false;
    }
}
