namespace CodexSandbox.Launcher.Cli;

/// <summary>Parses the launcher's options (see <see cref="HelpText"/>). Any problem is a
/// <see cref="LauncherException"/> with exit code 125.</summary>
internal static class ArgumentParser
{
    public static LaunchOptions Parse(IReadOnlyList<byte[]> args)
    {
        var options = new LaunchOptions();
        int i = 0;
        for (; i < args.Count; i++)
        {
            byte[] arg = args[i];
            if (arg.AsSpan().SequenceEqual("--"u8)) { i++; break; }
            if (!arg.AsSpan().StartsWith("--"u8)) break;

            ReadOnlySpan<byte> name = arg;
            byte[]? inlineValue = null;
            int eq = arg.AsSpan().IndexOf((byte)'=');
            if (eq > 0)
            {
                name = arg.AsSpan(0, eq);
                inlineValue = arg.AsSpan(eq + 1).ToArray();
            }

            if (name.SequenceEqual("--help"u8)) { NoValue(name, inlineValue); options.Help = true; }
            else if (name.SequenceEqual("--probe"u8)) { NoValue(name, inlineValue); options.Probe = true; }
            else if (name.SequenceEqual("--allow-missing-landlock"u8)) { NoValue(name, inlineValue); options.AllowMissingLandlock = true; }
            else if (name.SequenceEqual("--no-unix-sockets"u8)) { NoValue(name, inlineValue); options.NoUnixSockets = true; }
            else if (name.SequenceEqual("--mode"u8)) options.Mode = ParseMode(Value(args, ref i, name, inlineValue));
            else if (name.SequenceEqual("--network"u8)) options.Network = ParseNetwork(Value(args, ref i, name, inlineValue));
            else if (name.SequenceEqual("--rw"u8)) options.WritableRoots.Add(NonEmpty(name, Value(args, ref i, name, inlineValue)));
            else if (name.SequenceEqual("--ro"u8)) options.ReadOnlyPaths.Add(NonEmpty(name, Value(args, ref i, name, inlineValue)));
            else if (name.SequenceEqual("--deny"u8)) options.DeniedPaths.Add(NonEmpty(name, Value(args, ref i, name, inlineValue)));
            else if (name.SequenceEqual("--chdir"u8)) options.WorkingDirectory = NonEmpty(name, Value(args, ref i, name, inlineValue));
            else if (name.SequenceEqual("--allow-tcp-connect"u8)) options.AllowedTcpConnectPorts.Add(ParsePort(name, Value(args, ref i, name, inlineValue)));
            else if (name.SequenceEqual("--cpu-seconds"u8)) options.CpuSeconds = ParseCount(name, Value(args, ref i, name, inlineValue));
            else if (name.SequenceEqual("--memory-mb"u8)) options.MemoryMb = ParseCount(name, Value(args, ref i, name, inlineValue));
            else if (name.SequenceEqual("--max-processes"u8)) options.MaxProcesses = ParseCount(name, Value(args, ref i, name, inlineValue));
            else if (name.SequenceEqual("--file-size-mb"u8)) options.FileSizeMb = ParseCount(name, Value(args, ref i, name, inlineValue));
            else if (name.SequenceEqual("--supervise"u8)) { NoValue(name, inlineValue); options.Supervise = true; options.SuperviseArgumentIndexes.Add(i); }
            else if (name.SequenceEqual("--relay"u8)) options.Relays.Add(Relay.RelaySpec.Parse(name, Value(args, ref i, name, inlineValue)));
            else if (name.SequenceEqual("--open-files"u8)) options.OpenFiles = ParseCount(name, Value(args, ref i, name, inlineValue));
            else throw LauncherException.Usage(name, "unknown option (see --help)");
        }
        for (; i < args.Count; i++) options.Command.Add(args[i]);

        if (options.Help || options.Probe) return options;
        if (options.Command.Count == 0) throw LauncherException.Usage("no program given (see --help)");
        if (options.Command[0].Length == 0) throw LauncherException.Usage("empty program name");
        if (options.Mode == SandboxMode.ReadOnly && options.WritableRoots.Count > 0)
            throw LauncherException.Usage("--rw needs --mode workspace-write");
        if (options.AllowedTcpConnectPorts.Count > 0 && options.Network != NetworkMode.Proxy)
            throw LauncherException.Usage("--allow-tcp-connect needs --network proxy");
        Relay.RelaySpec.Validate(options);
        if (options.MemoryMb is > (ulong.MaxValue >> 20)) throw LauncherException.Usage("--memory-mb: value too large");
        if (options.FileSizeMb is > (ulong.MaxValue >> 20)) throw LauncherException.Usage("--file-size-mb: value too large");
        return options;
    }

    private static void NoValue(ReadOnlySpan<byte> name, byte[]? inlineValue)
    {
        if (inlineValue is not null) throw LauncherException.Usage(name, "takes no value");
    }

    private static byte[] Value(IReadOnlyList<byte[]> args, ref int i, ReadOnlySpan<byte> name, byte[]? inlineValue)
    {
        if (inlineValue is not null) return inlineValue;
        if (i + 1 >= args.Count) throw LauncherException.Usage(name, "missing value");
        return args[++i];
    }

    private static byte[] NonEmpty(ReadOnlySpan<byte> name, byte[] value) =>
        value.Length > 0 ? value : throw LauncherException.Usage(name, "empty value");

    private static SandboxMode ParseMode(byte[] value)
    {
        if (value.AsSpan().SequenceEqual("read-only"u8)) return SandboxMode.ReadOnly;
        if (value.AsSpan().SequenceEqual("workspace-write"u8)) return SandboxMode.WorkspaceWrite;
        throw LauncherException.Usage("--mode"u8, "expected read-only or workspace-write");
    }

    private static NetworkMode ParseNetwork(byte[] value)
    {
        if (value.AsSpan().SequenceEqual("off"u8)) return NetworkMode.Off;
        if (value.AsSpan().SequenceEqual("proxy"u8)) return NetworkMode.Proxy;
        if (value.AsSpan().SequenceEqual("on"u8)) return NetworkMode.On;
        throw LauncherException.Usage("--network"u8, "expected off, proxy or on");
    }

    private static ushort ParsePort(ReadOnlySpan<byte> name, byte[] value)
    {
        ulong port = ParseCount(name, value);
        if (port is 0 or > 65535) throw LauncherException.Usage(name, "port must be 1-65535");
        return (ushort)port;
    }

    /// <summary>A decimal number without sign, spaces or overflow.</summary>
    private static ulong ParseCount(ReadOnlySpan<byte> name, byte[] value)
    {
        if (value.Length == 0) throw LauncherException.Usage(name, "expected a number");
        ulong result = 0;
        foreach (byte b in value)
        {
            if (b < '0' || b > '9') throw LauncherException.Usage(name, "expected a number");
            ulong digit = (ulong)(b - '0');
            if (result > (ulong.MaxValue - digit) / 10) throw LauncherException.Usage(name, "value too large");
            result = result * 10 + digit;
        }
        return result;
    }
}
