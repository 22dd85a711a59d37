using System.Diagnostics;

namespace CodexSandbox.Engine.Audit;

/// <summary>
/// Exclusive cross-process lock: <c>&lt;log&gt;.lock</c> opened with <see cref="FileShare.None"/>, which .NET turns into
/// <c>flock(LOCK_EX|LOCK_NB)</c> on Unix and a share-mode lock on Windows. Busy ⇒ retry with backoff until a deadline.
/// The lock belongs to the open file, so two threads (or two <see cref="AuditLog"/> instances) of one process exclude
/// each other as two processes do. The lock file also holds the chain head, so a writer that finds it consistent with
/// the active file needs no scan of the log.
/// </summary>
internal sealed class AuditFileLock : IDisposable
{
    internal const int HeadSize = 160;

    private readonly FileStream _stream;

    private AuditFileLock(FileStream stream) => _stream = stream;

    public static AuditFileLock Acquire(string lockPath, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var attempt = 0;
        while (true)
        {
            try
            {
                return new AuditFileLock(new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0));
            }
            catch (IOException e) when (IsBusy(e))
            {
                if (clock.Elapsed > timeout)
                    throw new AuditLogException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for the audit log lock '{lockPath}'; another process holds it.", lockPath, e);
            }
            // Backoff: spin briefly (a holder's critical section is tens of microseconds), then yield, then sleep.
            attempt++;
            if (attempt < 10) Thread.SpinWait(100 * attempt);
            else if (attempt < 30) Thread.Yield();
            else Thread.Sleep(Math.Min(attempt - 29, 10));
        }
    }

    /// <summary>Locks for a consistent read; null when there is no lock file yet or it cannot be opened (a read-only log).</summary>
    public static AuditFileLock? TryAcquireForReading(string lockPath, TimeSpan timeout)
    {
        // No lock file means no writer has run here yet; reading needs no lock then.
        if (!File.Exists(lockPath)) return null;
        try { return Acquire(lockPath, timeout); }
        catch (UnauthorizedAccessException) { return null; }
        catch (IOException e) when (e is not AuditLogException) { return null; }
    }

    // Unix reports the errno (EWOULDBLOCK 11 on Linux, 35 on macOS); Windows ERROR_SHARING_VIOLATION / ERROR_LOCK_VIOLATION.
    private static bool IsBusy(IOException e) =>
        e.GetType() == typeof(IOException) && (e.HResult & 0xFFFF) is 11 or 35 or 32 or 33;

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

    public void Dispose() => _stream.Dispose();
}
