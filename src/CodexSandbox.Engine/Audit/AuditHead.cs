using System.Text;
using System.Text.Json;

namespace CodexSandbox.Engine.Audit;

/// <summary>
/// The last record written (seq, hash), the active file's length and line count after it, and the rotation generation.
/// The line count lets -Last number lines from the end without counting the whole file.
/// </summary>
internal sealed record AuditHead(long Seq, string Hash, long Length, long Generation, long Lines)
{
    public static AuditHead? Parse(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)'\n');
        if (end <= 0) return null;
        try
        {
            var reader = new Utf8JsonReader(bytes[..end]);
            long seq = -1, length = -1, generation = -1, lines = -1;
            string? hash = null;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "seq": seq = reader.GetInt64(); break;
                    case "hash": hash = reader.GetString(); break;
                    case "length": length = reader.GetInt64(); break;
                    case "generation": generation = reader.GetInt64(); break;
                    case "lines": lines = reader.GetInt64(); break;
                    default: reader.Skip(); break;
                }
            }
            if (seq < 0 || length < 0 || generation < 0 || lines < 0 || hash is null || !AuditHash.IsHex64(hash)) return null;
            return new AuditHead(seq, hash, length, generation, lines);
        }
        catch (JsonException) { return null; }
        catch (InvalidOperationException) { return null; }
    }

    public void Format(Span<byte> buffer)
    {
        buffer.Fill((byte)' ');
        var text = $"{{\"seq\":{Seq},\"hash\":\"{Hash}\",\"length\":{Length},\"generation\":{Generation},\"lines\":{Lines}}}";
        var written = Encoding.ASCII.GetBytes(text, buffer);
        buffer[written] = (byte)'\n';
    }
}
