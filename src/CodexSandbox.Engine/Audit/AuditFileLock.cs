using System.Diagnostics;
using System.Runtime.InteropServices;

namespace CodexSandbox.Engine.Audit;

/// <summary>
/// Exclusive cross-process lock on <c>&lt;log&gt;.lock</c>: <c>flock(LOCK_EX|LOCK_NB)</c> on Unix, a byte-range
/// lock on Windows, retried with backoff until a deadline. The lock file also holds the chain head, so a writer
/// that finds it consistent with the active file needs no scan of the log.
/// </summary>
internal sealed partial class AuditFileLock : IDisposable
{
    private const int LockEx = 2, LockNb = 4, LockUn = 8;
    internal const int HeadSize = 160;

    private readonly FileStream _stream;
    private bool _locked;

    private AuditFileLock(FileStream stream) => _stream = stream;

    /// <summary>Opens and locks; null when the lock file cannot be created (a read-only directory): readers then go on unlocked.</summary>
    public static AuditFileLock Acquire(string lockPath, TimeSpan timeout)
    {
        // Write access with sharing: .NET then takes no flock of its own, leaving the lock to us.
        var stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        var fileLock = new AuditFileLock(stream);
        try
        {
            fileLock.Lock(lockPath, timeout);
            return fileLock;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public static AuditFileLock? TryAcquireForReading(string lockPath, TimeSpan timeout)
    {
        try
        {
            // No lock file means no writer has run here yet; reading needs no lock then.
            if (!File.Exists(lockPath)) return null;
            return Acquire(lockPath, timeout);
        }
        catch (UnauthorizedAccessException) { return null; }
        catch (IOException e) when (e is not AuditLogException) { return null; }
    }

    private void Lock(string lockPath, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var attempt = 0;
        while (true)
        {
            if (TryLockOnce()) { _locked = true; return; }
            if (clock.Elapsed > timeout)
                throw new AuditLogException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for the audit log lock '{lockPath}'; another process holds it.", lockPath);
            // Backoff: spin briefly (the holder's critical section is tens of microseconds), then yield, then sleep.
            attempt++;
            if (attempt < 20) Thread.SpinWait(50 * attempt);
            else if (attempt < 40) Thread.Yield();
            else Thread.Sleep(Math.Min(attempt - 39, 10));
        }
    }

    private bool TryLockOnce()
    {
        if (OperatingSystem.IsWindows())
        {
            try { _stream.Lock(0, HeadSize); return true; }
            catch (IOException) { return false; }
        }
        var fd = (int)_stream.SafeFileHandle.DangerousGetHandle();
        if (Flock(fd, LockEx | LockNb) == 0) return true;
        var errno = Marshal.GetLastPInvokeError();
        // EWOULDBLOCK/EAGAIN (11 Linux, 35 macOS) and EINTR (4): try again.
        if (errno is 11 or 35 or 4) return false;
        throw new AuditLogException($"Cannot lock the audit log lock file (errno {errno}).", _stream.Name);
    }

    /// <summary>The chain head as stored in the lock file, or null when absent or unreadable.</summary>
    public AuditHead? ReadHead()
    {
        Span<byte> buffer = stackalloc byte[HeadSize];
        var read = RandomAccess.Read(_stream.SafeFileHandle, buffer, 0);
        return AuditHead.Parse(buffer[..read]);
    }

    public void WriteHead(AuditHead head)
    {
        Span<byte> buffer = stackalloc byte[HeadSize];
        head.Format(buffer);
        RandomAccess.Write(_stream.SafeFileHandle, buffer, 0);
    }

    public void Dispose()
    {
        if (_locked)
        {
            _locked = false;
            if (OperatingSystem.IsWindows()) { try { _stream.Unlock(0, HeadSize); } catch (IOException) { } }
            else Flock((int)_stream.SafeFileHandle.DangerousGetHandle(), LockUn);
        }
        _stream.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);
}
