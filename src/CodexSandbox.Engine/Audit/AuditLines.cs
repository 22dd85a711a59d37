using Microsoft.Win32.SafeHandles;

namespace CodexSandbox.Engine.Audit;

/// <summary>One line of a log file: its bytes (without the newline), where it starts, and whether a newline ended it.</summary>
internal readonly record struct AuditLine(long Offset, ReadOnlyMemory<byte> Bytes, bool Terminated);

/// <summary>Line splitting over a file handle, forwards (queries, verify) and backwards (-Last, finding the chain tail).</summary>
internal static class AuditLines
{
    private const int Chunk = 1 << 20;

    /// <summary>Lines in [0, <paramref name="end"/>), in order. The last one is unterminated when the range does not end in a newline.</summary>
    public static IEnumerable<AuditLine> Forward(SafeFileHandle handle, long end, Action<long>? onBytes = null)
    {
        var buffer = new byte[Chunk];
        var filled = 0;
        long bufferStart = 0, position = 0;
        while (position < end || filled > 0)
        {
            if (position < end)
            {
                // Keep the partial line at the start of the buffer; grow when one line outgrows it.
                if (filled == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                var want = (int)Math.Min(buffer.Length - filled, end - position);
                var read = RandomAccess.Read(handle, buffer.AsSpan(filled, want), position);
                if (read == 0) end = position; // the file shrank under us
                position += read;
                filled += read;
                onBytes?.Invoke(position);
            }
            var start = 0;
            while (true)
            {
                var newline = buffer.AsSpan(start, filled - start).IndexOf((byte)'\n');
                if (newline < 0) break;
                yield return new AuditLine(bufferStart + start, buffer.AsMemory(start, newline), true);
                start += newline + 1;
            }
            if (position >= end)
            {
                if (start < filled) yield return new AuditLine(bufferStart + start, buffer.AsMemory(start, filled - start), false);
                yield break;
            }
            // Returned memory is only valid until the next iteration: copy the tail down and continue.
            if (start > 0)
            {
                // Copy to a fresh array so memory handed out earlier is not overwritten while a caller still holds it.
                var fresh = new byte[buffer.Length];
                Buffer.BlockCopy(buffer, start, fresh, 0, filled - start);
                buffer = fresh;
            }
            filled -= start;
            bufferStart += start;
        }
    }

    /// <summary>Lines in [0, <paramref name="end"/>), newest first. Each yielded line owns its bytes.</summary>
    public static IEnumerable<AuditLine> Backward(SafeFileHandle handle, long end)
    {
        if (end <= 0) yield break;
        Span<byte> last = stackalloc byte[1];
        RandomAccess.Read(handle, last, end - 1);
        var terminated = last[0] == (byte)'\n';
        var lineEnd = terminated ? end - 1 : end; // exclusive end of the current line's content
        var chunk = new byte[64 * 1024];
        var carry = Array.Empty<byte>(); // bytes of the current line that lie after the chunk being scanned
        var position = lineEnd;
        var first = true;
        while (position > 0)
        {
            var size = (int)Math.Min(chunk.Length, position);
            position -= size;
            RandomAccess.Read(handle, chunk.AsSpan(0, size), position);
            var scanEnd = size;
            while (true)
            {
                var newline = chunk.AsSpan(0, scanEnd).LastIndexOf((byte)'\n');
                if (newline < 0)
                {
                    carry = Concat(chunk.AsSpan(0, scanEnd), carry);
                    break;
                }
                var bytes = Concat(chunk.AsSpan(newline + 1, scanEnd - newline - 1), carry);
                carry = Array.Empty<byte>();
                yield return new AuditLine(position + newline + 1, bytes, !first || terminated);
                first = false;
                scanEnd = newline;
            }
        }
        if (carry.Length > 0 || !first) yield return new AuditLine(0, carry, !first || terminated);
    }

    /// <summary>Number of newlines in [0, <paramref name="end"/>): the 1-based line number of the line starting at <paramref name="end"/> minus one.</summary>
    public static int CountNewlines(SafeFileHandle handle, long end)
    {
        var buffer = new byte[Chunk];
        long position = 0;
        var count = 0;
        while (position < end)
        {
            var read = RandomAccess.Read(handle, buffer.AsSpan(0, (int)Math.Min(buffer.Length, end - position)), position);
            if (read == 0) break;
            count += buffer.AsSpan(0, read).Count((byte)'\n');
            position += read;
        }
        return count;
    }

    private static byte[] Concat(ReadOnlySpan<byte> head, byte[] tail)
    {
        var result = new byte[head.Length + tail.Length];
        head.CopyTo(result);
        tail.CopyTo(result.AsSpan(head.Length));
        return result;
    }
}
