using CodexSandbox.Launcher.Cli;
using CodexSandbox.LauncherContract;

namespace CodexSandbox.Launcher.Relay;

/// <summary>One --relay PORT=SOCKETPATH: listen on 127.0.0.1:PORT, forward each connection to the
/// unix stream socket SOCKETPATH.</summary>
internal sealed class RelaySpec(ushort port, byte[] socketPath)
{
    /// <summary>sun_path holds 108 bytes including the terminating NUL.</summary>
    public const int MaxSocketPath = 107;

    public ushort Port { get; } = port;
    public byte[] SocketPath { get; } = socketPath;

    public static RelaySpec Parse(ReadOnlySpan<byte> name, byte[] value)
    {
        int eq = value.AsSpan().IndexOf((byte)'=');
        if (eq <= 0) throw LauncherException.Usage(name, "expected PORT=SOCKETPATH");
        uint port = 0;
        foreach (byte b in value.AsSpan(0, eq))
        {
            if (b < '0' || b > '9' || port > 65535) throw LauncherException.Usage(name, "port must be 1-65535");
            port = port * 10 + (uint)(b - '0');
        }
        if (port is 0 or > 65535) throw LauncherException.Usage(name, "port must be 1-65535");
        byte[] path = value.AsSpan(eq + 1).ToArray();
        if (path.Length == 0 || path[0] != '/') throw LauncherException.Usage(name, "SOCKETPATH must be an absolute path");
        if (path.Length > MaxSocketPath) throw LauncherException.Usage(name, $"SOCKETPATH is longer than {MaxSocketPath} bytes");
        return new RelaySpec((ushort)port, path);
    }

    /// <summary>Checks the relays against the other options; a relay port is also an allowed
    /// --allow-tcp-connect port (the command must be able to reach its relay).</summary>
    public static void Validate(LaunchOptions options)
    {
        if (options.Relays.Count == 0) return;
        if (options.Network != LauncherNetworkMode.Allowlist) throw LauncherException.Usage($"{LauncherOption.Relay} needs {LauncherOption.Network} {LauncherValue.Spell(LauncherNetworkMode.Allowlist)}");
        for (int i = 0; i < options.Relays.Count; i++)
        {
            ushort port = options.Relays[i].Port;
            for (int j = 0; j < i; j++)
                if (options.Relays[j].Port == port) throw LauncherException.Usage($"{LauncherOption.Relay}: port {port} given twice");
            if (!options.AllowedTcpConnectPorts.Contains(port)) options.AllowedTcpConnectPorts.Add(port);
        }
    }
}
