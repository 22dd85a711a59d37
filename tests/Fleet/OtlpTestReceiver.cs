// An OTLP log receiver for tests (no OpenTelemetry collector is available here): a TcpListener on loopback that takes
// OTLP/HTTP protobuf posts (HTTP/1.1) and OTLP/gRPC calls (HTTP/2 without TLS, prior knowledge), decodes the log
// records, and answers as the test asks: accept, 500, or never answer. Compiled into the engine tests and loaded by
// the Pester fleet tests with Add-Type, so it uses nothing beyond the base library.
#nullable enable
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace CodexSandbox.Tests.Fleet;

public enum ReceiverMode { Accept, Fail500, Hang }

public sealed class ReceivedLog
{
    public string EventName { get; set; } = "";
    public string Body { get; set; } = "";
    public int Severity { get; set; }
    public DateTime Time { get; set; }
    public Dictionary<string, object?> Attributes { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, object?> Resource { get; } = new(StringComparer.Ordinal);
    public string Path { get; set; } = "";
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public long Seq => Attributes.TryGetValue("codex_sandbox.audit.seq", out var s) && s is long l ? l : -1;
}

public sealed class OtlpTestReceiver : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];

    private readonly X509Certificate2? _certificate;

    /// <param name="certificate">Serve TLS with this certificate (https:// endpoints).</param>
    public OtlpTestReceiver(int port = 0, X509Certificate2? certificate = null)
    {
        _certificate = certificate;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = Task.Run(AcceptLoop);
    }

    public int Port { get; }
    public string HttpEndpoint => $"{(_certificate is null ? "http" : "https")}://127.0.0.1:{Port}/v1/logs";
    public string GrpcEndpoint => $"http://127.0.0.1:{Port}";
    public ReceiverMode Mode { get; set; } = ReceiverMode.Accept;
    public ConcurrentQueue<ReceivedLog> Logs { get; } = new();
    public int Requests;

    public List<ReceivedLog> Snapshot() => Logs.ToList();

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            lock (_clients) _clients.Add(client);
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        try
        {
            Stream stream = client.GetStream();
            if (_certificate is not null)
            {
                var ssl = new SslStream(stream);
                await ssl.AuthenticateAsServerAsync(_certificate);
                stream = ssl;
            }
            var reader = new BufferedReader(stream);
            var first = await reader.Peek(3);
            if (first.Length == 3 && first[0] == (byte)'P' && first[1] == (byte)'R' && first[2] == (byte)'I') await ServeHttp2(stream, reader);
            else await ServeHttp1(stream, reader);
        }
        catch (Exception) { }
        finally { client.Dispose(); }
    }

    private async Task ServeHttp1(Stream stream, BufferedReader reader)
    {
        while (true)
        {
            var head = await reader.ReadHead();
            if (head is null) return;
            var lines = head.Split("\r\n");
            var path = lines[0].Split(' ')[1];
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':');
                if (colon > 0) headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
            var length = headers.TryGetValue("content-length", out var l) ? int.Parse(l) : 0;
            var body = await reader.ReadExactly(length);
            Interlocked.Increment(ref Requests);
            if (Mode == ReceiverMode.Hang) { await Task.Delay(Timeout.Infinite, _stop.Token); return; }
            if (Mode == ReceiverMode.Fail500)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n"));
                continue;
            }
            Decode(body, path, headers);
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 0\r\n\r\n"));
        }
    }

    // HTTP/2 just far enough for a unary gRPC call: settings, headers (not decoded), data, and an answer of
    // :status 200, an empty ExportLogsServiceResponse and the trailer grpc-status 0.
    private async Task ServeHttp2(Stream stream, BufferedReader reader)
    {
        await reader.ReadExactly(24); // the connection preface
        var gate = new SemaphoreSlim(1);
        async Task Send(byte type, byte flags, int streamId, byte[] payload)
        {
            var frame = new byte[9 + payload.Length];
            frame[0] = (byte)(payload.Length >> 16); frame[1] = (byte)(payload.Length >> 8); frame[2] = (byte)payload.Length;
            frame[3] = type; frame[4] = flags;
            frame[5] = (byte)(streamId >> 24); frame[6] = (byte)(streamId >> 16); frame[7] = (byte)(streamId >> 8); frame[8] = (byte)streamId;
            payload.CopyTo(frame, 9);
            await gate.WaitAsync();
            try { await stream.WriteAsync(frame); } finally { gate.Release(); }
        }
        await Send(4, 0, 0, []);
        var bodies = new Dictionary<int, MemoryStream>();
        while (true)
        {
            var header = await reader.ReadExactly(9);
            var length = (header[0] << 16) | (header[1] << 8) | header[2];
            var type = header[3];
            var flags = header[4];
            var streamId = ((header[5] & 0x7f) << 24) | (header[6] << 16) | (header[7] << 8) | header[8];
            var payload = await reader.ReadExactly(length);
            switch (type)
            {
                case 4 when (flags & 1) == 0: await Send(4, 1, 0, []); break;
                case 6 when (flags & 1) == 0: await Send(6, 1, 0, payload); break;
                case 7: return;
                case 1:
                    bodies[streamId] = new MemoryStream();
                    break;
                case 0:
                    var data = payload.AsSpan();
                    if ((flags & 8) != 0) data = data[1..^payload[0]];
                    if (!bodies.TryGetValue(streamId, out var body)) bodies[streamId] = body = new MemoryStream();
                    body.Write(data);
                    if (length > 0)
                    {
                        var increment = new[] { (byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length };
                        await Send(8, 0, 0, increment);
                        if ((flags & 1) == 0) await Send(8, 0, streamId, increment);
                    }
                    if ((flags & 1) != 0)
                    {
                        Interlocked.Increment(ref Requests);
                        var message = body.ToArray();
                        if (Mode == ReceiverMode.Hang) continue;
                        if (Mode == ReceiverMode.Accept && message.Length >= 5) Decode(message[5..], "grpc", new Dictionary<string, string>());
                        // :status 200 (static index 8), content-type (static name 31) application/grpc, without Huffman.
                        var headers = new List<byte> { 0x88, 0x0f, 0x10, 16 };
                        headers.AddRange(Encoding.ASCII.GetBytes("application/grpc"));
                        await Send(1, 4, streamId, headers.ToArray());
                        await Send(0, 0, streamId, [0, 0, 0, 0, 0]);
                        var status = Mode == ReceiverMode.Accept ? "0" : "13";
                        var trailer = new List<byte> { 0x00, 11 };
                        trailer.AddRange(Encoding.ASCII.GetBytes("grpc-status"));
                        trailer.Add((byte)status.Length);
                        trailer.AddRange(Encoding.ASCII.GetBytes(status));
                        await Send(1, 5, streamId, trailer.ToArray());
                        bodies.Remove(streamId);
                    }
                    break;
            }
        }
    }

    // ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1 }
    private void Decode(byte[] request, string path, Dictionary<string, string> headers)
    {
        foreach (var (field, resourceLogs) in Fields(request))
        {
            if (field != 1) continue;
            var resource = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (rf, rv) in Fields((byte[])resourceLogs))
            {
                if (rf == 1) foreach (var (af, av) in Fields((byte[])rv)) { if (af == 1) AddKeyValue(resource, (byte[])av); }
                if (rf != 2) continue;
                foreach (var (sf, sv) in Fields((byte[])rv))
                {
                    if (sf != 2) continue;
                    var log = new ReceivedLog { Path = path };
                    foreach (var (k, v) in headers) log.Headers[k] = v;
                    foreach (var (k, v) in resource) log.Resource[k] = v;
                    foreach (var (lf, lv) in Fields((byte[])sv))
                    {
                        switch (lf)
                        {
                            case 1: log.Time = DateTime.UnixEpoch.AddTicks((long)((ulong)lv / 100)); break;
                            case 2: log.Severity = (int)(ulong)lv; break;
                            case 5: log.Body = AnyValue((byte[])lv) as string ?? ""; break;
                            case 6: AddKeyValue(log.Attributes, (byte[])lv); break;
                            case 12: log.EventName = Encoding.UTF8.GetString((byte[])lv); break;
                        }
                    }
                    Logs.Enqueue(log);
                }
            }
        }
    }

    private static void AddKeyValue(Dictionary<string, object?> into, byte[] keyValue)
    {
        string key = "";
        object? value = null;
        foreach (var (f, v) in Fields(keyValue))
        {
            if (f == 1) key = Encoding.UTF8.GetString((byte[])v);
            else if (f == 2) value = AnyValue((byte[])v);
        }
        into[key] = value;
    }

    private static object? AnyValue(byte[] any)
    {
        foreach (var (f, v) in Fields(any))
        {
            switch (f)
            {
                case 1: return Encoding.UTF8.GetString((byte[])v);
                case 2: return (ulong)v != 0;
                case 3: return (long)(ulong)v;
                case 4: return BitConverter.Int64BitsToDouble((long)(ulong)v);
                case 5: return Fields((byte[])v).Where(x => x.Field == 1).Select(x => AnyValue((byte[])x.Value)).ToArray();
            }
        }
        return null;
    }

    // The wire format: varint (0), fixed64 (1), length-delimited (2), fixed32 (5).
    private static List<(int Field, object Value)> Fields(byte[] data)
    {
        var result = new List<(int, object)>();
        var i = 0;
        while (i < data.Length)
        {
            var key = Varint(data, ref i);
            var field = (int)(key >> 3);
            switch (key & 7)
            {
                case 0: result.Add((field, Varint(data, ref i))); break;
                case 1: result.Add((field, BitConverter.ToUInt64(data, i))); i += 8; break;
                case 2:
                    var length = (int)Varint(data, ref i);
                    result.Add((field, data[i..(i + length)]));
                    i += length;
                    break;
                case 5: result.Add((field, (ulong)BitConverter.ToUInt32(data, i))); i += 4; break;
                default: throw new InvalidDataException($"wire type {key & 7}");
            }
        }
        return result;
    }

    private static ulong Varint(byte[] data, ref int i)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[i++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return value;
        }
    }

    /// <summary>A self-signed certificate for 127.0.0.1 and localhost, and its PEM text (to trust it as a CA).</summary>
    public static (X509Certificate2 Certificate, string Pem) SelfSigned()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new CertificateRequest("CN=codexsandbox-test", key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
        return (certificate, created.ExportCertificatePem());
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_clients) foreach (var c in _clients) c.Dispose();
    }

    private sealed class BufferedReader(Stream stream)
    {
        private readonly List<byte> _buffer = [];

        public async Task<byte[]> Peek(int count)
        {
            while (_buffer.Count < count && await Fill()) { }
            return _buffer.Take(count).ToArray();
        }

        public async Task<byte[]> ReadExactly(int count)
        {
            while (_buffer.Count < count)
                if (!await Fill()) throw new EndOfStreamException();
            var result = _buffer.GetRange(0, count).ToArray();
            _buffer.RemoveRange(0, count);
            return result;
        }

        public async Task<string?> ReadHead()
        {
            while (true)
            {
                for (var i = 3; i < _buffer.Count; i++)
                {
                    if (_buffer[i - 3] == '\r' && _buffer[i - 2] == '\n' && _buffer[i - 1] == '\r' && _buffer[i] == '\n')
                    {
                        var head = Encoding.ASCII.GetString(_buffer.GetRange(0, i - 3).ToArray());
                        _buffer.RemoveRange(0, i + 1);
                        return head;
                    }
                }
                if (!await Fill()) return null;
            }
        }

        private async Task<bool> Fill()
        {
            var chunk = new byte[16384];
            var n = await stream.ReadAsync(chunk);
            if (n == 0) return false;
            _buffer.AddRange(chunk.AsSpan(0, n).ToArray());
            return true;
        }
    }
}
