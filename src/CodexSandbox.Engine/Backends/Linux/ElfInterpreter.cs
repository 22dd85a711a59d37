using System.Buffers.Binary;
using System.Text;

namespace CodexSandbox.Engine.Backends.Linux;

/// <summary>
/// The dynamic loader an ELF program names in its <c>PT_INTERP</c> header (<c>/lib64/ld-linux-x86-64.so.2</c>), read from
/// the file's program headers. A read limit must leave it readable, or the kernel cannot start the program.
/// </summary>
internal static class ElfInterpreter
{
    private const uint PtInterp = 3;
    private const int MaxHeaders = 256, MaxPath = 4096;

    /// <summary>The interpreter's path; null for a static program, a file that is not ELF, or one that cannot be read.</summary>
    public static string? Of(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, System.IO.FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
            Span<byte> header = stackalloc byte[64];
            if (file.Read(header) < 52 || !header[..4].SequenceEqual("\u007fELF"u8)) return null;
            bool wide = header[4] == 2;
            bool little = header[5] == 1;
            long tableOffset = wide ? (long)U64(header[0x20..], little) : U32(header[0x1C..], little);
            int entrySize = U16(header[(wide ? 0x36 : 0x2A)..], little);
            int count = U16(header[(wide ? 0x38 : 0x2C)..], little);
            if (count > MaxHeaders || entrySize < (wide ? 56 : 32) || tableOffset <= 0) return null;
            var entry = new byte[entrySize];
            for (int i = 0; i < count; i++)
            {
                file.Position = tableOffset + (long)i * entrySize;
                if (file.Read(entry) != entrySize) return null;
                if (U32(entry, little) != PtInterp) continue;
                long offset = wide ? (long)U64(entry.AsSpan(8), little) : U32(entry.AsSpan(4), little);
                long size = wide ? (long)U64(entry.AsSpan(0x20), little) : U32(entry.AsSpan(16), little);
                if (size is <= 1 or > MaxPath) return null;
                var name = new byte[size];
                file.Position = offset;
                if (file.Read(name) != size) return null;
                var text = Encoding.UTF8.GetString(name).TrimEnd('\0');
                return text.StartsWith('/') ? text : null;
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    private static ushort U16(ReadOnlySpan<byte> b, bool little) => little ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b);

    private static uint U32(ReadOnlySpan<byte> b, bool little) => little ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b);

    private static ulong U64(ReadOnlySpan<byte> b, bool little) => little ? BinaryPrimitives.ReadUInt64LittleEndian(b) : BinaryPrimitives.ReadUInt64BigEndian(b);
}
