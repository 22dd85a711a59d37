using System.Collections.Concurrent;
using System.Reflection;

namespace CodexSandbox.Engine.Audit;

/// <summary>
/// The append side of the audit log: one JSON line per record, hash-chained, safe for many threads and several
/// processes at once. Each append takes an in-process lock and then the cross-process lock file, writes the whole
/// line with one write call, and records the new chain head in the lock file.
/// </summary>
/// <remarks>
/// Torn last line: a writer that dies mid-write can leave a last line without its newline. Readers skip it with a
/// warning. The next append notices (the active file's length differs from the head in the lock file), truncates
/// the fragment — it is the record of a call that never returned, so nobody holds its id — and chains from the last
/// complete record. Verify reports such a fragment as a warning, not a break, as long as it is the very last line.
/// </remarks>
public sealed class AuditLog : IDisposable
{
    public const string DefaultFileName = "sandbox-audit.jsonl";

    private static readonly ConcurrentDictionary<string, AuditLog> Shared = new(StringComparer.Ordinal);
    // The shared instance used last; when another one is opened (the log path or its settings changed), the others'
    // files are closed, so a session that moves its log does not keep the old one open.
    private static AuditLog? s_current;
    private static readonly string DefaultModuleVersion = ReadModuleVersion();
    // Environment.UserName reads the user database on every call on Unix; neither changes within a process.
    private static readonly string CurrentUser = System.Environment.UserName;
    private static readonly string CurrentHost = System.Environment.MachineName;

    private readonly object _gate = new();
    private readonly AuditFiles _files;
    private readonly AuditRecordWriter _writer = new();
    private readonly long _maxFileBytes;
    private bool _directoryReady;
    private FileStream? _active;
    private long _activeGeneration = -1;

    /// <param name="settings">Path (the active file, or a directory for <see cref="DefaultFileName"/> in it), MaxFileMB, RetentionDays, RecordOutput, Fsync.</param>
    /// <param name="maxFileBytes">Overrides <see cref="AuditSettings.MaxFileMB"/> (tests and tools use tiny sizes).</param>
    public AuditLog(AuditSettings settings, long? maxFileBytes = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (string.IsNullOrEmpty(settings.Path)) throw new ArgumentException("The audit settings have no Path; resolve the policy first (or use AuditLog.DefaultPath).", nameof(settings));
        Settings = settings;
        _files = new AuditFiles(settings.Path);
        _maxFileBytes = maxFileBytes ?? Math.Max(1, settings.MaxFileMB) * 1024L * 1024L;
    }

    static AuditLog() => AppDomain.CurrentDomain.ProcessExit += (_, _) => CloseShared();

    /// <summary>
    /// A shared instance per file path and settings; cmdlets use this so every run in a process shares one writer.
    /// Opening another one closes the files of the rest (they reopen on their next append); <see cref="CloseShared"/>
    /// closes them all.
    /// </summary>
    public static AuditLog Open(AuditSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var key = $"{Path.GetFullPath(settings.Path)}|{settings.MaxFileMB}|{settings.RetentionDays}|{settings.RecordOutput}|{settings.Fsync}";
        var log = Shared.GetOrAdd(key, _ => new AuditLog(settings));
        if (!ReferenceEquals(Interlocked.Exchange(ref s_current, log), log))
        {
            foreach (var other in Shared.Values)
            {
                if (!ReferenceEquals(other, log)) other.Dispose();
            }
        }
        return log;
    }

    /// <summary>Closes and forgets every shared instance: when the module is removed, and at process exit.</summary>
    public static void CloseShared()
    {
        Interlocked.Exchange(ref s_current, null);
        foreach (var key in Shared.Keys)
        {
            if (Shared.TryRemove(key, out var log)) log.Dispose();
        }
    }

    /// <summary><c>&lt;codexHome&gt;/log/sandbox-audit.jsonl</c>, the default when neither <c>log_dir</c> nor <c>[sandbox_audit] path</c> is set.</summary>
    public static string DefaultPath(string codexHome) => Path.Combine(codexHome, "log", DefaultFileName);

    /// <summary>A new record id (32 hex digits), for callers that need the id before the record is written.</summary>
    public static string NewId() => Guid.NewGuid().ToString("N");

    public AuditSettings Settings { get; }

    /// <summary>The active file.</summary>
    public string FilePath => _files.ActivePath;

    /// <summary>True while the active file is open (between appends, until closed).</summary>
    internal bool HoldsFile
    {
        get { lock (_gate) return _active is not null; }
    }

    /// <summary>Written into every record; defaults to the engine assembly's version (the module's version).</summary>
    public string ModuleVersion { get; init; } = DefaultModuleVersion;

    /// <summary>How long an append waits for another process to release the lock before failing.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Called with each record once it is in the file, under the append lock (so in seq order). Audit export
    /// (<c>Export/AuditExport</c>) queues the record here for its sinks; it must return at once and never throw.
    /// </summary>
    public Action<AuditRecord>? Appended { get; set; }

    /// <summary>Writes one record and returns it as written (id, seq, time, hashes). Thread-safe.</summary>
    /// <exception cref="AuditLogException">The log could not be written; the message says which file and why.</exception>
    public AuditRecord Append(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var draft = Prepare(entry);
        lock (_gate)
        {
            try
            {
                var record = AppendLocked(draft);
                Appended?.Invoke(record);
                return record;
            }
            catch (AuditLogException) { CloseActive(); throw; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                CloseActive();
                throw new AuditLogException($"Cannot write the audit log '{_files.ActivePath}': {e.Message}", _files.ActivePath, e);
            }
        }
    }

    private AuditRecord AppendLocked(AuditRecord draft)
    {
        EnsureDirectory();
        using var fileLock = AuditFileLock.Acquire(_files.LockPath, LockTimeout);
        var head = fileLock.ReadHead();
        // The active file stays open between appends; another writer's rotation changes the generation in the head.
        if (_active is null || head is null || head.Generation != _activeGeneration) ReopenActive(head?.Generation ?? -1);
        var data = _active!;
        var length = data.Length;
        if (head is null || head.Length != length)
        {
            head = AuditChainTail.Recover(_files, data, head);
            length = data.Length;
            _activeGeneration = head.Generation;
        }

        var seq = head.Seq + 1;
        var time = DateTimeOffset.UtcNow;
        var line = _writer.Format(draft, seq, time, head.Hash, out var hash);
        var generation = head.Generation;
        if (length > 0 && length + line.Length > _maxFileBytes)
        {
            CloseActive();
            generation++;
            File.Move(_files.ActivePath, _files.RotatedPath(generation));
            ReopenActive(generation);
            data = _active!;
            length = 0;
            // Persist the new generation now, so a crash before the write below still leaves a consistent head.
            fileLock.WriteHead(head with { Length = 0, Generation = generation, Lines = 0 });
            head = head with { Lines = 0 };
            AuditRetention.ApplyLocked(_files, Settings.RetentionDays, DateTimeOffset.UtcNow);
        }

        try
        {
            data.Position = length;
            data.Write(line.Span);
            if (Settings.Fsync) data.Flush(flushToDisk: true);
        }
        catch
        {
            // Leave no partial line behind when we can help it, and start from a fresh handle next time.
            try { data.SetLength(length); } catch (IOException) { }
            CloseActive();
            throw;
        }
        fileLock.WriteHead(new AuditHead(seq, hash, length + line.Length, generation, head.Lines + 1));
        return Finish(draft, seq, time, head.Hash, hash);
    }

    private void ReopenActive(long generation)
    {
        CloseActive();
        // Sharing Read|Write|Delete: readers and other writers (serialised by the lock file) may open it at any time.
        _active = new FileStream(_files.ActivePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        _activeGeneration = generation;
    }

    private void CloseActive()
    {
        _active?.Dispose();
        _active = null;
    }

    private void EnsureDirectory()
    {
        if (_directoryReady) return;
        try
        {
            Directory.CreateDirectory(_files.Folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AuditLogException($"Cannot create the audit log directory '{_files.Folder}': {e.Message}", _files.Folder, e);
        }
        _directoryReady = true;
    }

    // Everything that does not depend on the chain position, done outside the lock: redaction, defaults.
    private AuditRecord Prepare(AuditEntry e)
    {
        var argv = e.Argv is { Count: > 0 } a ? SecretRedactor.RedactArgv(a) : Array.Empty<string>();
        var command = e.Command is not null ? SecretRedactor.Redact(e.Command) : argv.Count > 0 ? string.Join(' ', argv.Select(QuoteForDisplay)) : null;
        return new AuditRecord
        {
            Id = string.IsNullOrEmpty(e.Id) ? NewId() : e.Id,
            EventType = e.EventType,
            Decision = e.Decision,
            DecisionSource = e.DecisionSource,
            Command = command,
            Argv = argv,
            WorkingDirectory = e.WorkingDirectory,
            SandboxMode = e.SandboxMode,
            NetworkAccess = e.NetworkAccess,
            WritableRoots = e.WritableRoots ?? Array.Empty<string>(),
            Backend = e.Backend,
            Enforcement = e.Enforcement ?? Array.Empty<string>(),
            ExitCode = e.ExitCode,
            Duration = e.Duration,
            TimedOut = e.TimedOut,
            StdoutBytes = e.StdoutBytes,
            StderrBytes = e.StderrBytes,
            Stdout = Settings.RecordOutput && e.Stdout is not null ? SecretRedactor.Redact(e.Stdout) : null,
            Stderr = Settings.RecordOutput && e.Stderr is not null ? SecretRedactor.Redact(e.Stderr) : null,
            Reason = e.Reason is null ? null : SecretRedactor.Redact(e.Reason),
            Rule = e.Rule,
            RelatedId = e.RelatedId,
            User = e.User ?? CurrentUser,
            Host = e.Host ?? CurrentHost,
            ProcessId = System.Environment.ProcessId,
            ModuleVersion = ModuleVersion,
            Environment = e.Environment is null ? null : SecretRedactor.RedactEnvironment(e.Environment),
            Details = e.Details is null ? null : RedactValues(e.Details),
        };
    }

    private static IReadOnlyDictionary<string, string> RedactValues(IReadOnlyDictionary<string, string> map)
    {
        var result = new Dictionary<string, string>(map.Count, StringComparer.Ordinal);
        foreach (var (key, value) in map) result[key] = SecretRedactor.IsSecretName(key) && value.Length > 0 ? SecretRedactor.Marker : SecretRedactor.Redact(value ?? "");
        return result;
    }

    private static string QuoteForDisplay(string arg) =>
        arg.Length > 0 && arg.AsSpan().IndexOfAny(" \t\"'\\$`;&|<>(){}*?") < 0 ? arg : "'" + arg.Replace("'", "'\\''") + "'";

    private static AuditRecord Finish(AuditRecord d, long seq, DateTimeOffset time, string previous, string hash) => new()
    {
        Id = d.Id, Seq = seq, Time = time, EventType = d.EventType, Decision = d.Decision, DecisionSource = d.DecisionSource,
        Command = d.Command, Argv = d.Argv, WorkingDirectory = d.WorkingDirectory, SandboxMode = d.SandboxMode,
        NetworkAccess = d.NetworkAccess, WritableRoots = d.WritableRoots, Backend = d.Backend, Enforcement = d.Enforcement,
        ExitCode = d.ExitCode, Duration = d.Duration, TimedOut = d.TimedOut, StdoutBytes = d.StdoutBytes, StderrBytes = d.StderrBytes,
        Stdout = d.Stdout, Stderr = d.Stderr, Reason = d.Reason, Rule = d.Rule, RelatedId = d.RelatedId, User = d.User, Host = d.Host,
        ProcessId = d.ProcessId, ModuleVersion = d.ModuleVersion, Environment = d.Environment, Details = d.Details,
        PreviousHash = previous, Hash = hash,
    };

    private static string ReadModuleVersion()
    {
        var informational = typeof(AuditLog).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (informational is not null)
        {
            var plus = informational.IndexOf('+');
            return plus > 0 ? informational[..plus] : informational;
        }
        return typeof(AuditLog).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    }

    /// <summary>Closes the active file, which stays open between appends; a later append reopens it.</summary>
    public void Dispose()
    {
        lock (_gate) CloseActive();
    }
}
