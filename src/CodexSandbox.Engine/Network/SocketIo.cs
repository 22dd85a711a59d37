using System.Buffers;
using System.Net.Sockets;

namespace CodexSandbox.Engine.Network;

/// <summary>Small socket helpers for the proxy sessions.</summary>
internal static class SocketIo
{
    public static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        while (!data.IsEmpty)
        {
            var n = await socket.SendAsync(data, SocketFlags.None, ct).ConfigureAwait(false);
            data = data[n..];
        }
    }

    /// <summary>Reads exactly <paramref name="buffer"/>.Length bytes; false on end of stream.</summary>
    public static async Task<bool> ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken ct)
    {
        while (!buffer.IsEmpty)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false);
            if (n == 0) return false;
            buffer = buffer[n..];
        }
        return true;
    }

    /// <summary>
    /// Reads until a blank line ends an HTTP head. Returns the head length (through the blank line) and the bytes held;
    /// head length 0 means end of stream before a head, -1 means the buffer filled first (head too large).
    /// </summary>
    public static async Task<(int HeadLength, int Count)> ReadHeadAsync(Socket socket, byte[] buffer, int limit, int count, CancellationToken ct)
    {
        var searched = 0;
        while (true)
        {
            var end = buffer.AsSpan(Math.Max(0, searched - 3), count - Math.Max(0, searched - 3)).IndexOf("\r\n\r\n"u8);
            if (end >= 0) return (Math.Max(0, searched - 3) + end + 4, count);
            searched = count;
            if (count >= limit) return (-1, count);
            var n = await socket.ReceiveAsync(buffer.AsMemory(count, limit - count), SocketFlags.None, ct).ConfigureAwait(false);
            if (n == 0) return (0, count);
            count += n;
        }
    }

    /// <summary>
    /// Copies both directions until each side has finished sending (a finished side's peer gets a half-close), or until no
    /// byte moved for <paramref name="idle"/>, or <paramref name="ct"/> fires.
    /// </summary>
    public static async Task RelayAsync(Socket a, Socket b, TimeSpan idle, int bufferSize, CancellationToken ct)
    {
        using var idleCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        idleCts.CancelAfter(idle);
        await Task.WhenAll(PumpAsync(a, b, idleCts, idle, bufferSize), PumpAsync(b, a, idleCts, idle, bufferSize)).ConfigureAwait(false);
    }

    /// <summary>Copies one direction until end of stream (then half-closes <paramref name="to"/>), idle time-out or cancellation.</summary>
    public static async Task RelayOneWayAsync(Socket from, Socket to, TimeSpan idle, int bufferSize, CancellationToken ct)
    {
        using var idleCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        idleCts.CancelAfter(idle);
        await PumpAsync(from, to, idleCts, idle, bufferSize).ConfigureAwait(false);
    }

    private static async Task PumpAsync(Socket from, Socket to, CancellationTokenSource idleCts, TimeSpan idle, int bufferSize)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        var ct = idleCts.Token;
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, ct).ConfigureAwait(false);
                if (n == 0) break;
                await SendAllAsync(to, buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                idleCts.CancelAfter(idle);
            }
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // idle, cancelled or reset: stop the other direction too; the caller closes both sockets
            try { idleCts.Cancel(); }
            catch (ObjectDisposedException) { }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
