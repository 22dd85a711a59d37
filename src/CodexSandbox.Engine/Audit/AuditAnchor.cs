using System.Text.Json;

namespace CodexSandbox.Engine.Audit;

/// <summary>
/// Where the remaining chain starts after retention deleted older files: the seq and hash of the last deleted
/// record. Verify accepts a first record whose <c>prev</c> and <c>seq</c> continue the anchor; without one, the
/// first record must be the genesis (seq 1, prev all zeros), so deleting the oldest file by hand is detected.
/// </summary>
internal sealed record AuditAnchor(long Seq, string Hash, long Generation, string DeletedThrough, DateTimeOffset Time)
{
    public static AuditAnchor? Read(string path)
    {
        try
        {
            if (!File.Exists(path)) return null;
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = doc.RootElement;
            var hash = root.GetProperty("hash").GetString() ?? "";
            if (!AuditHash.IsHex64(hash)) return null;
            return new AuditAnchor(root.GetProperty("seq").GetInt64(), hash, root.GetProperty("generation").GetInt64(),
                root.TryGetProperty("deletedThrough", out var through) ? through.GetString() ?? "" : "",
                root.TryGetProperty("time", out var time) ? time.GetDateTimeOffset() : default);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or IOException) { return null; }
    }

    public void Write(string path)
    {
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("seq", Seq);
            json.WriteString("hash", Hash);
            json.WriteNumber("generation", Generation);
            json.WriteString("deletedThrough", DeletedThrough);
            json.WriteString("time", Time.UtcDateTime);
            json.WriteEndObject();
        }
        File.Move(temp, path, overwrite: true);
    }
}
