using CodexSandbox.LauncherContract;

namespace CodexSandbox.Launcher.Cli;

/// <summary>Parses the launcher's options (names and values from LauncherContract, see <see cref="HelpText"/>).
/// Any problem is a <see cref="LauncherException"/> of kind <see cref="LaunchErrorKind.Usage"/> (exit code 125).</summary>
internal static class ArgumentParser
{
    public static LaunchOptions Parse(IReadOnlyList<byte[]> args)
    {
        var options = new LaunchOptions();
        Parse(args, options);
        return options;
    }

    /// <summary>Fills <paramref name="options"/> as far as the arguments are valid, so a caller that catches the
    /// usage error still knows a --status-fd given before the bad argument.</summary>
    public static void Parse(IReadOnlyList<byte[]> args, LaunchOptions options)
    {
        int i = 0;
        for (; i < args.Count; i++)
        {
            byte[] arg = args[i];
            if (Ascii.Equals(arg, LauncherOption.EndOfOptions)) { i++; break; }
            if (!arg.AsSpan().StartsWith("--"u8)) break;

            ReadOnlySpan<byte> name = arg;
            byte[]? inlineValue = null;
            int eq = arg.AsSpan().IndexOf((byte)'=');
            if (eq > 0)
            {
                name = arg.AsSpan(0, eq);
                inlineValue = arg.AsSpan(eq + 1).ToArray();
            }

            if (Is(name, LauncherOption.Help)) { NoValue(name, inlineValue); options.Help = true; }
            else if (Is(name, LauncherOption.Probe)) { NoValue(name, inlineValue); options.Probe = true; }
            else if (Is(name, LauncherOption.AllowMissingLandlock)) { NoValue(name, inlineValue); options.AllowMissingLandlock = true; }
            else if (Is(name, LauncherOption.NoUnixSockets)) { NoValue(name, inlineValue); options.NoUnixSockets = true; }
            else if (Is(name, LauncherOption.ReadLimit)) { NoValue(name, inlineValue); options.ReadLimit = true; }
            else if (Is(name, LauncherOption.ReadablePath)) options.ReadablePaths.Add(NonEmpty(name, Value(args, ref i, name, inlineValue)));
            else if (Is(name, LauncherOption.AllowUnixConnect)) { NoValue(name, inlineValue); options.AllowUnixConnect = true; }
            else if (Is(name, LauncherOption.Mode)) options.Mode = ParseMode(name, Value(args, ref i, name, inlineValue));
            else if (Is(name, LauncherOption.Network)) options.Network = ParseNetwork(name, Value(args, ref i, name, inlineValue));
            else if (Is(name, LauncherOption.WritableRoot)) options.WritableRoots.Add(NonEmpty(name, Value(args, ref i, name, inlineValue)));
            else if (Is(name, LauncherOption.ReadOnlyPath)) options.ReadOnlyPaths.Add(NonEmpty(name, Value(args, ref i, name, inlineValue)));
            else if (Is(name, LauncherOption.DeniedPath)) options.DeniedPaths.Add(NonEmpty(name, Value(args, ref i, name, inlineValue)));
            else if (Is(name, LauncherOption.ChangeDirectory)) options.WorkingDirectory = NonEmpty(name, Value(args, ref i, name, inlineValue));
            else if (Is(name, LauncherOption.AllowTcpConnect)) options.AllowedTcpConnectPorts.Add(ParsePort(name, Value(args, ref i, name, inlineValue)));
            else if (Is(name, LauncherOption.CpuSeconds)) options.CpuSeconds = ParseCount(name, Value(args, ref i, name, inlineValue));
            else if (Is(name, LauncherOption.MemoryMb)) options.MemoryMb = ParseCount(name, Value(args, ref i, name, inlineValue));
            else if (Is(name, LauncherOption.MaxProcesses)) options.MaxProcesses = ParseCount(name, Value(args, ref i, name, inlineValue));
            else if (Is(name, LauncherOption.FileSizeMb)) options.FileSizeMb = ParseCount(name, Value(args, ref i, name, inlineValue));
            else if (Is(name, LauncherOption.OpenFiles)) options.OpenFiles = ParseCount(name, Value(args, ref i, name, inlineValue));
            else if (Is(name, LauncherOption.Relay)) options.Relays.Add(Relay.RelaySpec.Parse(name, Value(args, ref i, name, inlineValue)));
            else if (Is(name, LauncherOption.ControllingTerminal)) { NoValue(name, inlineValue); options.ControllingTerminal = true; }
            else if (Is(name, LauncherOption.Supervise)) { NoValue(name, inlineValue); options.Supervise = true; options.OwnArgumentIndexes.Add(i); }
            else if (Is(name, LauncherOption.StatusFd))
            {
                options.OwnArgumentIndexes.Add(i);
                byte[] value = Value(args, ref i, name, inlineValue);
                if (inlineValue is null) options.OwnArgumentIndexes.Add(i);
                options.StatusFd = ParseDescriptor(name, value);
            }
            else throw LauncherException.Usage(name, $"unknown option (see {LauncherOption.Help})");
        }
        for (; i < args.Count; i++) options.Command.Add(args[i]);

        if (options.Help || options.Probe) return;
        if (options.Command.Count == 0) throw LauncherException.Usage($"no program given (see {LauncherOption.Help})");
        if (options.Command[0].Length == 0) throw LauncherException.Usage("empty program name");
        if (options.Mode == LauncherSandboxMode.ReadOnly && options.WritableRoots.Count > 0)
            throw LauncherException.Usage($"{LauncherOption.WritableRoot} needs {LauncherOption.Mode} {LauncherValue.Spell(LauncherSandboxMode.WorkspaceWrite)}");
        // A readable path without the limit would read as a restriction that is not there.
        if (options.ReadablePaths.Count > 0 && !options.ReadLimit)
            throw LauncherException.Usage($"{LauncherOption.ReadablePath} needs {LauncherOption.ReadLimit}");
        if (options.AllowedTcpConnectPorts.Count > 0 && options.Network != LauncherNetworkMode.Allowlist)
            throw LauncherException.Usage($"{LauncherOption.AllowTcpConnect} needs {LauncherOption.Network} {LauncherValue.Spell(LauncherNetworkMode.Allowlist)}");
        if (options.AllowUnixConnect && options.NoUnixSockets)
            throw LauncherException.Usage($"{LauncherOption.AllowUnixConnect} and {LauncherOption.NoUnixSockets} contradict each other");
        Relay.RelaySpec.Validate(options);
        if (options.MemoryMb is > (ulong.MaxValue >> 20)) throw LauncherException.Usage($"{LauncherOption.MemoryMb}: value too large");
        if (options.FileSizeMb is > (ulong.MaxValue >> 20)) throw LauncherException.Usage($"{LauncherOption.FileSizeMb}: value too large");
    }

    private static bool Is(ReadOnlySpan<byte> name, string option) => Ascii.Equals(name, option);

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

    private static LauncherSandboxMode ParseMode(ReadOnlySpan<byte> name, byte[] value)
    {
        foreach (var mode in LauncherValue.SandboxModes)
        {
            if (Ascii.Equals(value, LauncherValue.Spell(mode))) return mode;
        }
        throw LauncherException.Usage(name, $"expected {LauncherValue.Spell(LauncherSandboxMode.ReadOnly)} or {LauncherValue.Spell(LauncherSandboxMode.WorkspaceWrite)}");
    }

    private static LauncherNetworkMode ParseNetwork(ReadOnlySpan<byte> name, byte[] value)
    {
        foreach (var mode in LauncherValue.NetworkModes)
        {
            if (Ascii.Equals(value, LauncherValue.Spell(mode))) return mode;
        }
        throw LauncherException.Usage(name,
            $"expected {LauncherValue.Spell(LauncherNetworkMode.Off)}, {LauncherValue.Spell(LauncherNetworkMode.Allowlist)} or {LauncherValue.Spell(LauncherNetworkMode.On)}");
    }

    private static ushort ParsePort(ReadOnlySpan<byte> name, byte[] value)
    {
        ulong port = ParseCount(name, value);
        if (port is 0 or > 65535) throw LauncherException.Usage(name, "port must be 1-65535");
        return (ushort)port;
    }

    /// <summary>A descriptor above stderr: 0, 1 and 2 are the command's own streams.</summary>
    private static int ParseDescriptor(ReadOnlySpan<byte> name, byte[] value)
    {
        ulong fd = ParseCount(name, value);
        if (fd is < 3 or > int.MaxValue) throw LauncherException.Usage(name, "expected a descriptor number of 3 or more");
        return (int)fd;
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
