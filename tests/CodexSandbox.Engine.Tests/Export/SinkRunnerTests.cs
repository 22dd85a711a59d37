using CodexSandbox.Engine.Audit;
using CodexSandbox.Engine.Export;
using CodexSandbox.Engine.Tests.Configuration;

namespace CodexSandbox.Engine.Tests.Export;

/// <summary>
/// One sink's cursor under records appended while it sends: at least once, never lost. A receiver may see a record
/// twice; it must never see a record before the one that precedes it, and the cursor must never pass a record it lacks.
/// </summary>
public sealed class SinkRunnerTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly TempTree _tree = new();
    private readonly AuditSettings _audit;
    private readonly SyslogSinkSettings _sink = new()
    {
        Source = PolicySource.User, File = "config.toml", Transport = SyslogTransport.Tcp, Host = "127.0.0.1", Port = 6514,
    };

    public SinkRunnerTests() => _audit = new AuditSettings { Path = Path.Combine(_tree.CodexHome, "log", AuditLog.DefaultFileName) };

    public void Dispose()
    {
        AuditLog.Open(_audit).Dispose();
        _tree.Dispose();
    }

    // This process's writer: every record it appends is offered to the runner, as a run's are.
    private SinkRunner Start(RecordingSink receiver)
    {
        var runner = new SinkRunner(_audit.Path, _sink, _ => receiver, TimeSpan.FromSeconds(5));
        AuditLog.Open(_audit).Appended = runner.Offer;
        runner.Start();
        return runner;
    }

    private AuditRecord Append(AuditLog log, string command) =>
        log.Append(new AuditEntry { EventType = AuditEventType.CommandExecuted, Command = command, ExitCode = 0 });

    [Fact]
    public void A_record_another_process_wrote_between_two_of_ours_is_sent_in_its_place()
    {
        var receiver = new RecordingSink();
        using var runner = Start(receiver);
        Assert.True(runner.Flush(Wait));
        using var otherProcess = new AuditLog(_audit); // same file, no export hook: another pwsh on this machine

        // While the runner waits for the cursor, ours writes 1 and 3 (offered) and the other process writes 2 (not).
        using (new ExportCursor(_audit.Path, _sink).Lock(Wait))
        {
            Append(AuditLog.Open(_audit), "ours 1");
            Append(otherProcess, "theirs 2");
            Append(AuditLog.Open(_audit), "ours 3");
        }
        Assert.True(runner.Flush(Wait, catchUp: false), runner.LastError);

        Assert.Null(RecordingSink.FirstGap(receiver.Received, 3));
        Assert.Equal([1L, 2L, 3L], receiver.Received);
        Assert.Equal(3, runner.Delivered?.Seq);
    }

    [Fact]
    public void Appends_from_several_threads_and_processes_during_catch_ups_reach_the_receiver_without_a_gap()
    {
        // The CI failure: a catch-up read "the last N records" after a first look at the log had found N missing; a
        // record appended between the two looks shifted the window, the first missing one was never read, and the cursor
        // moved past it. Here records keep arriving while catch-ups run back to back.
        const int PerWriter = 300;
        var receiver = new RecordingSink();
        using var runner = Start(receiver);
        using var otherProcess = new AuditLog(_audit);
        var writing = true;
        // Plain threads: the runner's own thread and these must really run at once, not wait for pool threads.
        // Bursts of two records with pauses between, as a run writes ApprovalRequested and ApprovalGranted: the runner
        // catches up in a pause and reads the log back just as the next burst lands.
        var writers = Enumerable.Range(0, 3).Select(w => new Thread(() =>
        {
            var random = new Random(w);
            for (var i = 0; i < PerWriter; i++)
            {
                Append(w == 2 ? otherProcess : AuditLog.Open(_audit), $"writer {w} record {i}");
                if (i % 2 == 1) Thread.Sleep(random.Next(0, 3));
            }
        })).ToList();
        var catchUps = new Thread(() =>
        {
            while (Volatile.Read(ref writing)) runner.Flush(Wait);
        });
        writers.ForEach(t => t.Start());
        catchUps.Start();
        writers.ForEach(t => t.Join());
        Volatile.Write(ref writing, false);
        catchUps.Join();

        Assert.True(runner.Flush(Wait), runner.LastError);
        var last = AuditReader.Query(_audit.Path, new AuditQuery { Last = 1 }).Single().Seq;
        Assert.Equal(3L * PerWriter, last);
        Assert.Null(RecordingSink.FirstGap(receiver.Received, last));
        Assert.Equal(last, runner.Delivered?.Seq);
    }

    [Fact]
    public void A_long_outage_beyond_the_memory_bound_still_sends_every_record_without_a_gap()
    {
        // Bound 4: at most 4 queued and 8 waiting in memory; the rest is read back from the log, 4 at a time.
        var receiver = new RecordingSink { Refuse = true };
        using var runner = new SinkRunner(_audit.Path, _sink, _ => receiver, TimeSpan.FromSeconds(5), maxQueued: 4);
        AuditLog.Open(_audit).Appended = runner.Offer;
        runner.Start();
        using var otherProcess = new AuditLog(_audit);
        for (var i = 1; i <= 30; i++)
        {
            Append(i == 5 ? otherProcess : AuditLog.Open(_audit), $"record {i}");
            // Each failed attempt takes what is queued into memory, so more piles up there than the bound allows.
            if (i % 3 == 0) Assert.False(runner.Flush(Wait, catchUp: false));
        }
        Assert.Empty(receiver.Received);

        receiver.Refuse = false;
        Assert.True(runner.Flush(Wait), runner.LastError);
        Assert.Null(RecordingSink.FirstGap(receiver.Received, 30));
        Assert.Equal(30, runner.Delivered?.Seq);
    }

    [Fact]
    public void A_record_the_log_has_lost_stops_the_cursor_before_it_and_says_so()
    {
        var receiver = new RecordingSink();
        using var runner = Start(receiver);
        Assert.True(runner.Flush(Wait));
        // Written by another process, so the runner reads them back from the log; then record 3's line is damaged.
        using (var otherProcess = new AuditLog(_audit))
            for (var i = 1; i <= 4; i++) Append(otherProcess, $"record {i}");
        var lines = File.ReadAllLines(_audit.Path);
        lines[2] = lines[2][..20];
        File.WriteAllLines(_audit.Path, lines);

        Assert.False(runner.Flush(Wait));

        Assert.Equal([1L, 2L], receiver.Received);
        Assert.Equal(2, runner.Delivered?.Seq);
        Assert.Contains("seq 3 cannot be read", runner.LastError);
        Assert.Contains(runner.TakeWarnings(), w => w.Contains("seq 3 cannot be read", StringComparison.Ordinal));
    }

    [Fact]
    public void Records_retention_deleted_before_they_were_sent_are_skipped_with_a_warning()
    {
        var receiver = new RecordingSink();
        // Every record in a file of its own, so retention can delete the oldest ones.
        var small = new AuditLog(_audit, maxFileBytes: 1);
        Append(small, "one");
        using var runner = new SinkRunner(_audit.Path, _sink, _ => receiver, TimeSpan.FromSeconds(5));
        runner.Start(); // a new sink starts at the log's end: seq 1
        for (var i = 2; i <= 5; i++) Append(small, $"record {i}");
        small.Dispose();
        // Rotated files hold seqs 1 to 4; the active one seq 5. Retention deletes the files holding 1 to 3.
        var files = new AuditFiles(_audit.Path).Rotated().ToList();
        foreach (var (_, path) in files.Take(3)) File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddDays(-40));
        Assert.Equal(3, AuditRetention.Apply(_audit.Path, retentionDays: 30).Count);

        Assert.True(runner.Flush(Wait), runner.LastError);

        Assert.Equal([4L, 5L], receiver.Received);
        Assert.Equal(5, runner.Delivered?.Seq);
        Assert.Contains(runner.TakeWarnings(), w => w.Contains("seq 2 to 3 were deleted by the log's retention", StringComparison.Ordinal));
    }
}
