using System.Security.Cryptography;

namespace CodexSandbox.Engine.Audit;

/// <summary>SHA-256 in lower-case hex, and the layout of the hash field at the end of every line.</summary>
internal static class AuditHash
{
    public const string Zero = "0000000000000000000000000000000000000000000000000000000000000000";
    /// <summary>Every line ends with exactly this field: <c>,"hash":"&lt;64 hex&gt;"}</c>.</summary>
    public static ReadOnlySpan<byte> FieldPrefix => ",\"hash\":\""u8;
    public const int SuffixLength = 9 + 64 + 2;

    public static string Compute(ReadOnlySpan<byte> body)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(body, digest);
        return ToHex(digest);
    }

    public static string ToHex(ReadOnlySpan<byte> bytes) => string.Create(bytes.Length * 2, bytes.ToArray(), static (chars, data) =>
    {
        const string digits = "0123456789abcdef";
        for (var i = 0; i < data.Length; i++)
        {
            chars[2 * i] = digits[data[i] >> 4];
            chars[2 * i + 1] = digits[data[i] & 15];
        }
    });

    public static bool IsHex64(string value)
    {
        if (value.Length != 64) return false;
        foreach (var c in value)
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f'))) return false;
        return true;
    }

    /// <summary>
    /// Splits a line into the hashed body and the stored hash, or returns false when the line does not end in the
    /// hash field. The body is everything before <c>,"hash":"</c>.
    /// </summary>
    public static bool TrySplit(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> body, out string storedHash)
    {
        body = default;
        storedHash = "";
        if (line.Length < SuffixLength + 2) return false;
        var suffix = line[^SuffixLength..];
        if (!suffix.StartsWith(FieldPrefix) || suffix[^2] != (byte)'"' || suffix[^1] != (byte)'}') return false;
        var hex = suffix.Slice(9, 64);
        foreach (var b in hex)
            if (b is not ((>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f'))) return false;
        body = line[..^SuffixLength];
        storedHash = System.Text.Encoding.ASCII.GetString(hex);
        return true;
    }

    /// <summary>True when the line's stored hash is the SHA-256 of its body.</summary>
    public static bool SelfConsistent(ReadOnlySpan<byte> line, out string storedHash)
    {
        if (!TrySplit(line, out var body, out storedHash)) return false;
        return Compute(body) == storedHash;
    }
}
