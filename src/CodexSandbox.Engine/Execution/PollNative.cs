using System.Runtime.InteropServices;

namespace CodexSandbox.Engine.Execution;

/// <summary>The libc calls and constants of the poll(2) loops that serve a run (<see cref="ChildIo"/>, <see cref="TerminalRelay"/>):
/// the descriptors, an eventfd for cancellation and a pidfd for the child's exit.</summary>
internal static unsafe class PollNative
{
    [DllImport("libc", SetLastError = true)] public static extern int poll(PollFd* fds, nuint count, int timeout);
    [DllImport("libc", SetLastError = true)] public static extern nint read(int fd, byte* buffer, nint count);
    [DllImport("libc", SetLastError = true)] public static extern nint write(int fd, byte* buffer, nint count);
    [DllImport("libc", SetLastError = true)] public static extern int eventfd(uint initial, int flags);
    [DllImport("libc", SetLastError = true)] public static extern int close(int fd);
    // Variadic in C; on x86_64 and aarch64 Linux its arguments travel in the registers of fixed ones (see LinuxNative).
    [DllImport("libc", SetLastError = true)] public static extern nint syscall(nint number, nint a1, nint a2);

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    public const short POLLIN = 0x1, POLLOUT = 0x4;
    public const int EFD_CLOEXEC = 0x80000, EFD_NONBLOCK = 0x800, EINTR = 4, EAGAIN = 11;
    public const nint SysPidfdOpen = 434; // the same on every architecture
    /// <summary>Without a pidfd (kernels before 5.3) the exit is looked for this often.</summary>
    public const int ExitCheckMilliseconds = 10;
}
