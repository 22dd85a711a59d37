using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CodexSandbox.Engine.Network;

/// <summary>
/// One client connection to the SOCKS5 proxy (RFC 1928): method "no authentication" only, the CONNECT command only, with
/// domain-name, IPv4 and IPv6 targets. BIND and UDP ASSOCIATE are refused (UDP is not proxied).
/// </summary>
internal static class SocksProxySession
{
    private const byte Version = 5;
    public const byte Succeeded = 0x00, GeneralFailure = 0x01, NotAllowed = 0x02, NetworkUnreachable = 0x03, HostUnreachable = 0x04,
        ConnectionRefused = 0x05, TtlExpired = 0x06, CommandNotSupported = 0x07, AddressTypeNotSupported = 0x08;

    public static async Task RunAsync(NetworkProxy proxy, Socket client, CancellationToken ct)
    {
        string host;
        int port;
        byte command;
        using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            handshake.CancelAfter(proxy.Options.HeaderTimeout);
            var t = handshake.Token;
            var buf = new byte[256];
            if (!await SocketIo.ReceiveExactlyAsync(client, buf.AsMemory(0, 2), t).ConfigureAwait(false) || buf[0] != Version) return;
            var methodCount = buf[1];
            if (!await SocketIo.ReceiveExactlyAsync(client, buf.AsMemory(0, methodCount), t).ConfigureAwait(false)) return;
            var noAuth = buf.AsSpan(0, methodCount).Contains((byte)0x00);
            await SocketIo.SendAllAsync(client, new byte[] { Version, noAuth ? (byte)0x00 : (byte)0xFF }, t).ConfigureAwait(false);
            if (!noAuth) return;

            if (!await SocketIo.ReceiveExactlyAsync(client, buf.AsMemory(0, 4), t).ConfigureAwait(false) || buf[0] != Version) return;
            command = buf[1];
            switch (buf[3])
            {
                case 0x01:
                    if (!await SocketIo.ReceiveExactlyAsync(client, buf.AsMemory(0, 4), t).ConfigureAwait(false)) return;
                    host = new IPAddress(buf.AsSpan(0, 4)).ToString();
                    break;
                case 0x04:
                    if (!await SocketIo.ReceiveExactlyAsync(client, buf.AsMemory(0, 16), t).ConfigureAwait(false)) return;
                    host = new IPAddress(buf.AsSpan(0, 16)).ToString();
                    break;
                case 0x03:
                    if (!await SocketIo.ReceiveExactlyAsync(client, buf.AsMemory(0, 1), t).ConfigureAwait(false)) return;
                    var length = buf[0];
                    if (length == 0 || !await SocketIo.ReceiveExactlyAsync(client, buf.AsMemory(0, length), t).ConfigureAwait(false)) return;
                    host = Encoding.Latin1.GetString(buf, 0, length);
                    break;
                default:
                    await ReplyAsync(client, AddressTypeNotSupported, null, ct).ConfigureAwait(false);
                    return;
            }
            if (!await SocketIo.ReceiveExactlyAsync(client, buf.AsMemory(0, 2), t).ConfigureAwait(false)) return;
            port = BinaryPrimitives.ReadUInt16BigEndian(buf);
        }

        if (command != 0x01)
        {
            if (command == 0x03)
            {
                var shown = HostName.Normalize(host) ?? host;
                proxy.Report(shown, port, "socks5", new HostVerdict(false, ProxyReasons.BlockedUdp, null, false,
                    "UDP ASSOCIATE was refused: UDP is not proxied"), null);
            }
            await ReplyAsync(client, CommandNotSupported, null, ct).ConfigureAwait(false);
            return;
        }

        var outcome = await proxy.OpenAsync(host, port, "socks5", ct).ConfigureAwait(false);
        if (outcome.Upstream is null)
        {
            var code = outcome.Blocked is not null ? NotAllowed
                : outcome.TimedOut ? TtlExpired
                : outcome.FailureCode switch
                {
                    SocketError.ConnectionRefused => ConnectionRefused,
                    SocketError.NetworkUnreachable => NetworkUnreachable,
                    SocketError.HostNotFound or SocketError.HostUnreachable => HostUnreachable,
                    _ => GeneralFailure,
                };
            await ReplyAsync(client, code, null, ct).ConfigureAwait(false);
            return;
        }
        using var upstream = outcome.Upstream;
        await ReplyAsync(client, Succeeded, upstream.LocalEndPoint as IPEndPoint, ct).ConfigureAwait(false);
        await SocketIo.RelayAsync(client, upstream, proxy.Options.IdleTimeout, 16 * 1024, ct).ConfigureAwait(false);
    }

    private static async Task ReplyAsync(Socket client, byte code, IPEndPoint? bound, CancellationToken ct)
    {
        var address = bound?.Address ?? IPAddress.Any;
        var addressBytes = address.GetAddressBytes();
        var reply = new byte[6 + addressBytes.Length];
        reply[0] = Version;
        reply[1] = code;
        reply[3] = address.AddressFamily == AddressFamily.InterNetworkV6 ? (byte)0x04 : (byte)0x01;
        addressBytes.CopyTo(reply, 4);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(4 + addressBytes.Length), (ushort)(bound?.Port ?? 0));
        try { await SocketIo.SendAllAsync(client, reply, ct).ConfigureAwait(false); }
        catch (SocketException) { }
    }
}
