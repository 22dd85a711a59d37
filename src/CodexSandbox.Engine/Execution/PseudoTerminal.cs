using System.ComponentModel;
using System.Runtime.InteropServices;

namespace CodexSandbox.Engine.Execution;

/// <summary>
/// A new pseudo-terminal pair for one interactive run: this process keeps the master (non-blocking, close-on-exec) and
/// relays it to its own terminal; the child gets the slave. Opened with O_NOCTTY, so it never becomes this process's
/// controlling terminal, and the command's session can take it.
/// </summary>
internal sealed unsafe class PseudoTerminal : IDisposable
{
    private PseudoTerminal(int master, int slave, string slavePath)
    {
        Master = master;
        Slave = slave;
        SlavePath = slavePath;
    }

    public int Master { get; private set; }

    /// <summary>The slave's descriptor (close-on-exec, above 2, so it can be dup2'd onto 0, 1 and 2); -1 once closed.</summary>
    public int Slave { get; private set; }

    /// <summary>The slave's path (/dev/pts/N), for a child that opens it after its own setsid.</summary>
    public string SlavePath { get; }

    /// <summary>Opens a pair whose slave starts with <paramref name="settingsFrom"/>'s terminal settings and window size (when
    /// that is a terminal), so the command sees the caller's erase key, UTF-8 mode and size.</summary>
    public static PseudoTerminal Open(int settingsFrom)
    {
        int master = TerminalNative.posix_openpt(TerminalNative.O_RDWR | TerminalNative.O_NOCTTY | TerminalNative.O_CLOEXEC);
        if (master < 0) throw Failure("posix_openpt");
        int slave = -1;
        try
        {
            if (TerminalNative.grantpt(master) != 0) throw Failure("grantpt");
            if (TerminalNative.unlockpt(master) != 0) throw Failure("unlockpt");
            byte* name = stackalloc byte[128];
            int error = TerminalNative.ptsname_r(master, name, 128);
            if (error != 0) throw new Win32Exception(error, "ptsname_r failed");
            string path = Marshal.PtrToStringUTF8((nint)name)!;
            slave = TerminalNative.open(name, TerminalNative.O_RDWR | TerminalNative.O_NOCTTY | TerminalNative.O_CLOEXEC, 0);
            if (slave < 0) throw Failure("open " + path);
            slave = AboveStandardDescriptors(slave);
            CopySettings(settingsFrom, slave);
            CopyWindowSize(settingsFrom, master);
            if (TerminalNative.fcntl(master, F_SETFL, TerminalNative.O_NONBLOCK) != 0) throw Failure("fcntl(F_SETFL, O_NONBLOCK)");
            return new PseudoTerminal(master, slave, path);
        }
        catch
        {
            if (slave >= 0) TerminalNative.close(slave);
            TerminalNative.close(master);
            throw;
        }
    }

    private const int F_SETFL = 4;

    /// <summary>True when <paramref name="fd"/> is a terminal.</summary>
    public static bool IsTerminal(int fd) => TerminalNative.isatty(fd) == 1;

    /// <summary>The window size of terminal <paramref name="from"/> given to terminal <paramref name="to"/> (on a master, the
    /// kernel then sends SIGWINCH to the foreground process group of the slave). False when either call fails.</summary>
    public static bool CopyWindowSize(int from, int to)
    {
        byte* size = stackalloc byte[TerminalNative.WinSizeBytes];
        return TerminalNative.ioctl(from, TerminalNative.TIOCGWINSZ, size) == 0 && TerminalNative.ioctl(to, TerminalNative.TIOCSWINSZ, size) == 0;
    }

    /// <summary>The caller's settings as the command's starting point, with the suspend key off: nothing outside the
    /// command has job control, so a command stopped by Ctrl+Z could never be resumed (a shell inside turns it on again).</summary>
    private static void CopySettings(int from, int to)
    {
        byte* termios = stackalloc byte[TerminalNative.TermiosBytes];
        if (TerminalNative.tcgetattr(from, termios) != 0 && TerminalNative.tcgetattr(to, termios) != 0) return;
        termios[TerminalNative.CcOffset + TerminalNative.VSUSP] = 0; // _POSIX_VDISABLE
        TerminalNative.tcsetattr(to, TerminalNative.TCSADRAIN, termios);
    }

    private static int AboveStandardDescriptors(int fd)
    {
        if (fd > 2) return fd;
        int raised = TerminalNative.fcntl(fd, TerminalNative.F_DUPFD_CLOEXEC, 3);
        if (raised < 0) throw Failure("fcntl(F_DUPFD_CLOEXEC)");
        TerminalNative.close(fd);
        return raised;
    }

    /// <summary>Closes this process's copy of the slave once the child holds its own, so the master reads end-of-file
    /// (EIO) when the last process of the run lets go of it.</summary>
    public void CloseSlave()
    {
        if (Slave >= 0) TerminalNative.close(Slave);
        Slave = -1;
    }

    public void Dispose()
    {
        CloseSlave();
        if (Master >= 0) TerminalNative.close(Master);
        Master = -1;
    }

    private static Win32Exception Failure(string what) => new(TerminalNative.Errno, $"{what} failed");
}
