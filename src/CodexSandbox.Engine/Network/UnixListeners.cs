using System.Net.Sockets;

namespace CodexSandbox.Engine.Network;

/// <summary>
/// The proxy's two unix-socket listeners, <c>http.sock</c> and <c>socks.sock</c>, in a folder only the owner can enter
/// (0700; sockets 0600). A sandbox in its own network namespace gets the folder bind-mounted and reaches the sockets
/// through the launcher's <c>--relay</c>. Disposing closes both and removes them (and the folder, if created here).
/// </summary>
internal sealed class UnixListeners : IDisposable
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlySocket = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _directory;
    private readonly bool _createdDirectory;
    private int _disposed;

    private UnixListeners(string directory, bool created, Socket http, string httpPath, Socket socks, string socksPath)
    {
        _directory = directory;
        _createdDirectory = created;
        Http = http;
        HttpPath = httpPath;
        Socks = socks;
        SocksPath = socksPath;
    }

    public Socket Http { get; }
    public string HttpPath { get; }
    public Socket Socks { get; }
    public string SocksPath { get; }

    public static UnixListeners Create(string directory)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("Proxy unix sockets are for the Linux sandbox.");
        var full = Path.GetFullPath(directory);
        var info = new DirectoryInfo(full);
        if (info.LinkTarget is not null) throw new IOException($"The proxy socket folder '{full}' is a symbolic link.");
        if (File.Exists(full)) throw new IOException($"The proxy socket folder '{full}' is a file.");
        var created = !info.Exists;
        Directory.CreateDirectory(full, OwnerOnlyFolder);
        File.SetUnixFileMode(full, OwnerOnlyFolder);

        var httpPath = Path.Combine(full, "http.sock");
        var socksPath = Path.Combine(full, "socks.sock");
        Socket? http = null;
        try
        {
            http = Bind(httpPath);
            var socks = Bind(socksPath);
            return new UnixListeners(full, created, http, httpPath, socks, socksPath);
        }
        catch
        {
            if (http is not null)
            {
                http.Dispose();
                TryDelete(httpPath);
            }
            if (created) TryDeleteFolder(full);
            throw;
        }
    }

    private static Socket Bind(string path)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException();
        if (Path.Exists(path)) throw new IOException($"'{path}' already exists; the proxy needs a fresh socket folder.");
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, OwnerOnlySocket);
            socket.Listen(512);
            return socket;
        }
        catch
        {
            socket.Dispose();
            TryDelete(path);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static void TryDeleteFolder(string path)
    {
        try { Directory.Delete(path, recursive: false); }
        catch (IOException) { } // not empty: something else lives there, leave it
        catch (UnauthorizedAccessException) { }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Http.Dispose();
        Socks.Dispose();
        TryDelete(HttpPath);
        TryDelete(SocksPath);
        if (_createdDirectory) TryDeleteFolder(_directory);
    }
}
