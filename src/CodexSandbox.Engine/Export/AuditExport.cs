using System.Collections.Concurrent;
using CodexSandbox.Engine.Audit;
using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Policy;

namespace CodexSandbox.Engine.Export;

/// <summary>
/// The process's audit export: one <see cref="ExportPipeline"/> per audit log, fed by the log's append hook. Callers
/// attach the config in effect before they append (<see cref="Attach"/>), may catch up at import
/// (<see cref="CatchUpAtImport"/>) or on demand (<see cref="Sync"/>), and show <see cref="TakeWarnings"/> to the user.
/// When the process exits, every sink gets up to <c>exit_flush_sec</c> to send what is still queued.
/// </summary>
public static class AuditExport
{
    private static readonly ConcurrentDictionary<string, ExportPipeline> s_pipelines = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, byte> s_shown = new(StringComparer.Ordinal);
    private static readonly ConcurrentQueue<string> s_warnings = new();
    private static int s_exitHooked;

    /// <summary>Ships the log <paramref name="audit"/> names to the sinks <paramref name="config"/> defines (if any) from now on.</summary>
    public static void Attach(LoadedConfig config, AuditSettings audit) => AttachCore(config, audit);

    private static ExportPipeline? AttachCore(LoadedConfig config, AuditSettings audit)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(audit);
        if (!audit.Enabled || string.IsNullOrEmpty(audit.Path)) return null;
        var settings = ExportSettings.Read(config);
        foreach (var d in settings.Diagnostics.Where(d => d.Severity != DiagnosticSeverity.Information)) Warn(d.ToString());
        var key = Path.GetFullPath(audit.Path);
        if (settings.Sinks.Count == 0 && !s_pipelines.ContainsKey(key)) return null;
        var pipeline = s_pipelines.GetOrAdd(key, path => new ExportPipeline(path));
        pipeline.Configure(settings);
        AuditLog.Open(audit).Appended = pipeline.Offer;
        if (Interlocked.Exchange(ref s_exitHooked, 1) == 0) AppDomain.CurrentDomain.ProcessExit += (_, _) => FlushAll();
        return pipeline;
    }

    /// <summary>
    /// Sends everything after each sink's cursor now and waits up to <paramref name="timeout"/>; one result per sink.
    /// </summary>
    /// <param name="include">Which sinks to send to (the others are left alone); default all.</param>
    public static IReadOnlyList<AuditExportResult> Sync(LoadedConfig config, AuditSettings audit, TimeSpan timeout, Func<AuditSinkSettings, bool>? include = null)
    {
        var pipeline = AttachCore(config, audit);
        if (pipeline is null) return [];
        var runners = pipeline.Runners.Where(r => include?.Invoke(r.Settings) ?? true).ToList();
        var before = runners.Select(r => r.SentCount).ToArray();
        var flushed = runners.Select(r => Task.Run(() => r.Flush(timeout))).ToArray();
        Task.WaitAll(flushed);
        var last = AuditReader.Query(pipeline.LogPath, new AuditQuery { Last = 1 }).LastOrDefault()?.Seq ?? 0;
        return runners.Select((r, i) =>
        {
            var delivered = r.Delivered?.Seq ?? 0;
            var done = flushed[i].Result;
            return new AuditExportResult
            {
                Sink = r.Settings.ToString(), Kind = r.Settings.Kind, Destination = r.Settings.Destination, Source = r.Settings.Source,
                Sent = (int)(r.SentCount - before[i]), DeliveredSeq = delivered, LastSeq = last, Pending = Math.Max(0, last - delivered),
                Succeeded = done && delivered >= last, Error = done ? r.LastError : r.LastError ?? $"still sending after {timeout.TotalSeconds:0.#} s",
                CursorPath = r.CursorPath,
            };
        }).ToList();
    }

    /// <summary>
    /// At import (the module calls this on a pool thread): when the system or user config mentions an exporter, attach
    /// it so records left over from an outage are sent. Nothing is parsed or loaded when neither file mentions one.
    /// </summary>
    public static void CatchUpAtImport(string workingDirectory)
    {
        try
        {
            var request = ConfigRequest.FromEnvironment(workingDirectory);
            if (!Mentions(Path.Combine(request.SystemDirectory, "config.toml")) && !Mentions(Path.Combine(request.CodexHome, "config.toml"))) return;
            var config = ConfigLoader.Load(request);
            var audit = PolicyResolver.Resolve(config, new PolicyOverrides(), new Dictionary<string, string>()).Audit;
            Attach(config, audit);
        }
        // Import must never fail because of export: a broken config is reported by the first cmdlet that reads it.
        catch (Exception e) when (e is not OutOfMemoryException) { }
    }

    private static bool Mentions(string configFile)
    {
        try
        {
            if (!File.Exists(configFile)) return false;
            var text = File.ReadAllText(configFile);
            return text.Contains("otel", StringComparison.Ordinal) || text.Contains("syslog", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>Stops shipping <paramref name="logPath"/> in this process (its cursors stay for the next process).</summary>
    internal static void Detach(string logPath)
    {
        if (!s_pipelines.TryRemove(Path.GetFullPath(logPath), out var pipeline)) return;
        pipeline.Configure(ExportSettings.None);
    }

    /// <summary>Export problems not shown yet: each sink's first failure and each config problem, once per process.</summary>
    public static IReadOnlyList<string> TakeWarnings()
    {
        foreach (var pipeline in s_pipelines.Values)
            foreach (var runner in pipeline.Runners)
                foreach (var warning in runner.TakeWarnings()) s_warnings.Enqueue(warning);
        var result = new List<string>();
        while (s_warnings.TryDequeue(out var w)) result.Add(w);
        return result;
    }

    private static void Warn(string text)
    {
        if (s_shown.TryAdd(text, 0)) s_warnings.Enqueue(text);
    }

    // At exit every sink sends what it can, all at once, within the longest exit_flush_sec configured.
    private static void FlushAll()
    {
        var runners = s_pipelines.Values.SelectMany(p => p.Runners.Select(r => (Runner: r, p.ExitFlush))).ToList();
        if (runners.Count == 0) return;
        var limit = runners.Max(r => r.ExitFlush);
        var tasks = runners.Select(r => Task.Run(() => r.Runner.Flush(limit, catchUp: false))).ToArray();
        Task.WaitAll(tasks, limit + TimeSpan.FromMilliseconds(200));
    }
}
