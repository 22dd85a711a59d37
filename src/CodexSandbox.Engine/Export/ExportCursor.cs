using System.Text;
using System.Text.Json;
using CodexSandbox.Engine.Audit;

namespace CodexSandbox.Engine.Export;

/// <summary>
/// The last record one sink is known to have, persisted beside the log as <c>&lt;stem&gt;.&lt;sink id&gt;.cursor</c>
/// (one JSON line: seq, hash, sink). Every process that exports the same log to the same sink shares it: a sender holds
/// <c>&lt;cursor&gt;.lock</c> while it sends and moves the cursor, so two processes never send one range at once and the
/// cursor only moves forward.
/// </summary>
internal sealed class ExportCursor
{
    private readonly string _sink;

    public ExportCursor(string logPath, AuditSinkSettings sink)
    {
        var files = new AuditFiles(logPath);
        Path = System.IO.Path.Combine(files.Folder, $"{files.Stem}.{sink.Id}.cursor");
        _sink = sink.ToString();
    }

    public string Path { get; }

    /// <summary>The delivered position without taking the lock (for status); null when the sink has no cursor yet.</summary>
    public (long Seq, string Hash)? Peek() => Parse(Path);

    /// <summary>Takes the lock; throws <see cref="AuditLogException"/> when another process holds it past <paramref name="timeout"/>.</summary>
    public Held Lock(TimeSpan timeout)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        return new Held(this, AuditFileLock.Acquire(Path + ".lock", timeout));
    }

    private static (long Seq, string Hash)? Parse(string path)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            var reader = new Utf8JsonReader(bytes);
            long seq = -1;
            string hash = "";
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                if (name == "seq" && reader.TokenType == JsonTokenType.Number) seq = reader.GetInt64();
                else if (name == "hash" && reader.TokenType == JsonTokenType.String) hash = reader.GetString() ?? "";
                else reader.Skip();
            }
            return seq >= 0 ? (seq, hash) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException) { return null; }
    }

    /// <summary>The cursor while its lock is held.</summary>
    internal sealed class Held(ExportCursor cursor, IDisposable fileLock) : IDisposable
    {
        public (long Seq, string Hash)? Read() => Parse(cursor.Path);

        /// <summary>Moves the cursor to <paramref name="last"/> (never backwards).</summary>
        public void Write(AuditRecord last)
        {
            if (Read() is { } current && current.Seq >= last.Seq) return;
            Store(last.Seq, last.Hash);
        }

        /// <summary>Moves the cursor over records no sender can have any more (retention deleted them); never backwards.</summary>
        public void Skip(long seq, string hash)
        {
            if (Read() is { } current && current.Seq >= seq) return;
            Store(seq, hash);
        }

        /// <summary>Starts a cursor at <paramref name="seq"/> unless one exists (a sink seen for the first time begins at the log's end).</summary>
        public void Start(long seq, string hash)
        {
            if (Read() is null) Store(seq, hash);
        }

        // Written to a new file and renamed, so a crash leaves the old cursor or the new one, never half of one.
        private void Store(long seq, string hash)
        {
            var text = $"{{\"seq\":{seq},\"hash\":\"{hash}\",\"sink\":{JsonSerializer.Serialize(cursor._sink)},\"time\":\"{DateTimeOffset.UtcNow:O}\"}}\n";
            var temp = cursor.Path + ".tmp";
            File.WriteAllBytes(temp, Encoding.UTF8.GetBytes(text));
            File.Move(temp, cursor.Path, overwrite: true);
        }

        public void Dispose() => fileLock.Dispose();
    }
}
