using System.Runtime.InteropServices;
using static CodexSandbox.Engine.Execution.PollNative;

namespace CodexSandbox.Engine.Execution;

/// <summary>
/// The two descriptors a run's poll loop watches besides its own: a pidfd that becomes readable when the child exits
/// (-1 on kernels before 5.3, where the loop checks the exit every <see cref="PollNative.ExitCheckMilliseconds"/>), and an
/// eventfd that cancellation writes to.
/// </summary>
internal sealed unsafe class RunSignals : IDisposable
{
    private readonly CancellationTokenRegistration _registration;

    public RunSignals(int pid, CancellationToken cancel)
    {
        Pidfd = (int)syscall(SysPidfdOpen, pid, 0);
        Wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (Wake < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (Pidfd >= 0) close(Pidfd);
            throw new System.ComponentModel.Win32Exception(errno, "eventfd failed");
        }
        _registration = cancel.Register(Signal);
    }

    /// <summary>Readable once the child has exited; -1 without pidfd_open.</summary>
    public int Pidfd { get; }

    /// <summary>Readable once cancellation was requested.</summary>
    public int Wake { get; }

    private void Signal()
    {
        ulong one = 1;
        write(Wake, (byte*)&one, sizeof(ulong));
    }

    public void Dispose()
    {
        _registration.Dispose();
        if (Pidfd >= 0) close(Pidfd);
        close(Wake);
    }
}
