using System.Collections.Concurrent;
using System.Diagnostics;
using CodexSandbox.Engine.Audit;

namespace CodexSandbox.Engine.Export;

/// <summary>
/// Ships one log's records to one sink from a background thread. A run only hands its record over (<see cref="Offer"/>:
/// a queue push and a wake-up); the thread sends everything after the sink's cursor, oldest first, in batches, and
/// moves the cursor past what the sink confirmed. Records it has not seen in memory (written while it was not running,
/// by another process, or beyond the in-memory bound) are read back from the log, which stays the source of truth.
/// A batch is always an unbroken run of seqs right after the cursor, so the cursor never passes a record the sink lacks.
/// A failing sink is retried with backoff; a new record or <see cref="Flush"/> tries again at once (at most once a second).
/// </summary>
internal sealed class SinkRunner : IDisposable
{
    internal const int BatchSize = 512;
    // Beyond this many records waiting in memory, new ones are left to be read back from the log.
    internal const int DefaultMaxQueued = 10_000;
    private static readonly TimeSpan MinRetryGap = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(10);

    private readonly string _logPath;
    private readonly Func<TimeSpan, IAuditSink> _connect;
    private readonly ExportCursor _cursor;
    private readonly ConcurrentQueue<AuditRecord> _queue = new();
    private readonly ConcurrentQueue<string> _notices = new();
    private readonly SortedList<long, AuditRecord> _pending = new();
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly object _flushGate = new();
    private readonly Thread _thread;
    private readonly int _maxQueued;
    private int _queued;
    private volatile bool _readLog = true; // catch up from the log when the thread starts
    private volatile bool _stopping;
    private long _flushRequested, _flushServed;
    private IAuditSink? _sink;
    private TimeSpan _backoff = TimeSpan.Zero;
    private long _lastAttempt = long.MinValue / 2;
    private volatile string? _lastError;
    private volatile bool _lastAttemptFailed;
    private long _sent;
    private int _warningState; // 0 none, 1 a warning waits to be shown, 2 shown

    /// <param name="maxQueued">Records held in memory: up to this many queued, twice as many waiting to be sent.</param>
    public SinkRunner(string logPath, AuditSinkSettings settings, Func<TimeSpan, IAuditSink> connect, TimeSpan sendTimeout, int maxQueued = DefaultMaxQueued)
    {
        _maxQueued = maxQueued;
        _logPath = logPath;
        Settings = settings;
        _connect = connect;
        SendTimeout = sendTimeout;
        _cursor = new ExportCursor(logPath, settings);
        _thread = new Thread(Run) { IsBackground = true, Name = "CodexSandbox audit export " + settings.Kind };
    }

    public AuditSinkSettings Settings { get; }
    public TimeSpan SendTimeout { get; set; }
    public string CursorPath => _cursor.Path;

    /// <summary>Starts the cursor at the log's end if this sink has none (a new sink does not resend history), then the thread.</summary>
    public void Start()
    {
        try
        {
            if (_cursor.Peek() is null)
            {
                using var held = _cursor.Lock(LockTimeout);
                var last = AuditReader.Query(_logPath, new AuditQuery { Last = 1 }).LastOrDefault();
                held.Start(last?.Seq ?? 0, last?.Hash ?? AuditHash.Zero);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fail($"its cursor {_cursor.Path} cannot be written: {e.Message}");
        }
        _thread.Start();
    }

    /// <summary>Called under the audit log's append lock: must not block.</summary>
    public void Offer(AuditRecord record)
    {
        if (Interlocked.Increment(ref _queued) <= _maxQueued) _queue.Enqueue(record);
        else
        {
            Interlocked.Decrement(ref _queued);
            _readLog = true;
        }
        _wake.Set();
    }

    /// <summary>Asks the thread for an attempt now and waits for it (or <paramref name="timeout"/>); true when it succeeded.</summary>
    /// <param name="catchUp">Also look in the log for records this process did not write (other processes, earlier sessions).</param>
    public bool Flush(TimeSpan timeout, bool catchUp = true)
    {
        var ticket = Interlocked.Increment(ref _flushRequested);
        if (catchUp) _readLog = true;
        _wake.Set();
        var clock = Stopwatch.StartNew();
        lock (_flushGate)
        {
            while (Interlocked.Read(ref _flushServed) < ticket)
            {
                var left = timeout - clock.Elapsed;
                if (left <= TimeSpan.Zero || !Monitor.Wait(_flushGate, left)) return false;
            }
        }
        return !_lastAttemptFailed;
    }

    /// <summary>
    /// What the user should be told: the last failure, once per process (it is not offered again), and records that
    /// retention deleted before they could be sent.
    /// </summary>
    public IEnumerable<string> TakeWarnings()
    {
        while (_notices.TryDequeue(out var notice)) yield return notice;
        if (Interlocked.CompareExchange(ref _warningState, 2, 1) != 1) yield break;
        yield return $"Audit export to {Settings} is failing ({_lastError}). The records stay in the local audit log and are sent when the " +
                     "receiver is back (Sync-SandboxAudit sends them now). This warning is shown once per session.";
    }

    public string? LastError => _lastAttemptFailed ? _lastError : null;
    public long SentCount => Interlocked.Read(ref _sent);
    public (long Seq, string Hash)? Delivered => _cursor.Peek();

    private void Run()
    {
        while (!_stopping)
        {
            var waitFor = _lastAttemptFailed ? Remaining(_backoff) : Timeout.InfiniteTimeSpan;
            _wake.Wait(waitFor);
            _wake.Reset();
            if (_stopping) break;
            var ticket = Interlocked.Read(ref _flushRequested);
            // A failing sink is not hammered: new records wake us, but we try at most once a second.
            if (_lastAttemptFailed && ticket == Interlocked.Read(ref _flushServed) && Remaining(MinRetryGap) > TimeSpan.Zero) continue;
            Deliver();
            lock (_flushGate)
            {
                Interlocked.Exchange(ref _flushServed, ticket);
                Monitor.PulseAll(_flushGate);
            }
        }
    }

    private TimeSpan Remaining(TimeSpan after)
    {
        var left = after - Stopwatch.GetElapsedTime(_lastAttempt);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private void Deliver()
    {
        _lastAttempt = Stopwatch.GetTimestamp();
        try
        {
            while (!_stopping)
            {
                using var held = _cursor.Lock(LockTimeout);
                var after = held.Read()?.Seq ?? 0;
                Fill(after);
                if (_pending.Count == 0) { Succeed(); return; }
                // Only an unbroken run from after + 1 is sent, so the cursor can only move over records the sink has.
                var batch = new List<AuditRecord>(Math.Min(BatchSize, _pending.Count));
                foreach (var (seq, record) in _pending)
                {
                    if (seq != after + 1 + batch.Count || batch.Count == BatchSize) break;
                    batch.Add(record);
                }
                if (batch.Count == 0)
                {
                    if (SkipRetained(held, after)) continue;
                    Fail($"record seq {after + 1} cannot be read from the audit log {_logPath} (Get-SandboxAudit -Verify shows why); " +
                         "nothing after it is sent until it can be");
                    return;
                }
                _sink ??= _connect(SendTimeout);
                var result = _sink.Send(batch, SendTimeout);
                if (result.Delivered > 0)
                {
                    held.Write(batch[result.Delivered - 1]);
                    for (var i = 0; i < result.Delivered; i++) _pending.Remove(batch[i].Seq);
                    Interlocked.Add(ref _sent, result.Delivered);
                }
                if (result.Error is not null)
                {
                    // A fresh connection next time: the old one may be half-dead.
                    _sink.Dispose();
                    _sink = null;
                    Fail(result.Error);
                    return;
                }
                Succeed();
            }
        }
        catch (AuditLogException e)
        {
            // The cursor is busy (another process is sending) or the log cannot be read: not the sink's fault; try later.
            _lastError = e.Message;
            _lastAttemptFailed = true;
            _backoff = MinRetryGap;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fail($"its cursor {_cursor.Path} cannot be written: {e.Message}");
        }
    }

    // Collects what to send after seq <paramref name="after"/>: the queued records, and the log's whenever they are not
    // an unbroken run from after + 1 (a record another process wrote, one beyond the in-memory bound, or a catch-up).
    // Every queued record is in the file before it is queued, so the log read here holds all of them and those before.
    private void Fill(long after)
    {
        while (_queue.TryDequeue(out var record))
        {
            Interlocked.Decrement(ref _queued);
            if (record.Seq > after) _pending[record.Seq] = record;
        }
        while (_pending.Count > 0 && _pending.Keys[0] <= after) _pending.RemoveAt(0);
        var unbroken = _pending.Count == 0 || (_pending.Keys[0] == after + 1 && _pending.Keys[^1] - after == _pending.Count);
        if (_readLog || !unbroken)
        {
            _readLog = false;
            var backlog = AuditBacklog.After(_logPath, after, _maxQueued, out var more);
            foreach (var record in backlog) _pending.TryAdd(record.Seq, record);
            if (more) _readLog = true;
        }
        // Memory stays bounded by dropping the newest: they are read back from the log when their turn comes. (Refusing
        // the log's older records instead would leave the gap they fill open for good.)
        while (_pending.Count > _maxQueued * 2)
        {
            _pending.RemoveAt(_pending.Count - 1);
            _readLog = true;
        }
    }

    // The log lacks after + 1. When retention deleted it (the anchor names the last record it deleted and the log goes
    // on right after it), no sender can ever have it: the cursor moves to the anchor, and the user is told which records
    // were never exported. Any other gap stops this sink: the log was altered, and the cursor waits for it to be repaired.
    private bool SkipRetained(ExportCursor.Held held, long after)
    {
        var anchor = AuditAnchor.Read(new AuditFiles(_logPath).AnchorPath);
        if (anchor is null || anchor.Seq <= after || _pending.Keys[0] != anchor.Seq + 1) return false;
        held.Skip(anchor.Seq, anchor.Hash);
        _notices.Enqueue($"Audit records seq {after + 1} to {anchor.Seq} were deleted by the log's retention before they were exported to {Settings}, " +
                         "so they were never sent. Raise [sandbox_audit] retention_days, or keep the receiver reachable.");
        return true;
    }

    private void Succeed()
    {
        _lastAttemptFailed = false;
        _backoff = TimeSpan.Zero;
    }

    private void Fail(string error)
    {
        _lastError = error;
        _lastAttemptFailed = true;
        _backoff = _backoff == TimeSpan.Zero ? MinRetryGap : TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, _backoff.Ticks * 2));
        Interlocked.CompareExchange(ref _warningState, 1, 0);
    }

    public void Dispose()
    {
        _stopping = true;
        _wake.Set();
        if (_thread.IsAlive) _thread.Join(TimeSpan.FromSeconds(1));
        _sink?.Dispose();
    }
}
