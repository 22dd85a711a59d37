namespace CodexSandbox.Engine.Export;

/// <summary>The sinks one audit log is shipped to in this process, each with its own <see cref="SinkRunner"/>.</summary>
internal sealed class ExportPipeline(string logPath)
{
    private readonly object _gate = new();
    private SinkRunner[] _runners = [];

    public string LogPath => logPath;
    public IReadOnlyList<SinkRunner> Runners => Volatile.Read(ref _runners);
    public TimeSpan ExitFlush { get; private set; } = ExportSettings.None.ExitFlush;

    /// <summary>Starts a runner for each sink not running yet; stops those the config no longer names.</summary>
    public void Configure(ExportSettings settings)
    {
        lock (_gate)
        {
            ExitFlush = settings.ExitFlush;
            var wanted = settings.Sinks.ToDictionary(s => s.Id);
            var kept = new List<SinkRunner>();
            foreach (var runner in _runners)
            {
                if (wanted.Remove(runner.Settings.Id)) { runner.SendTimeout = settings.SendTimeout; kept.Add(runner); }
                else runner.Dispose();
            }
            foreach (var sink in wanted.Values)
            {
                var runner = new SinkRunner(logPath, sink, timeout => SinkFactory.Connect(sink, timeout), settings.SendTimeout);
                runner.Start();
                kept.Add(runner);
            }
            Volatile.Write(ref _runners, kept.ToArray());
        }
    }

    /// <summary>The audit log's <see cref="Audit.AuditLog.Appended"/> hook: hands the record to every runner.</summary>
    public void Offer(AuditRecord record)
    {
        foreach (var runner in Volatile.Read(ref _runners)) runner.Offer(record);
    }
}
