using CodexSandbox.Launcher.Cli;
using CodexSandbox.Launcher.Native;
using CodexSandbox.Launcher.Output;
using CodexSandbox.LauncherContract;

namespace CodexSandbox.Launcher.Limits;

/// <summary>setrlimit for the requested limits. Limits are only ever lowered (never above the
/// inherited hard limit), and RLIMIT_AS comes last because the runtime's own address-space
/// reservations must already exist when it takes effect.</summary>
internal sealed unsafe class ResourceLimits
{
    private const int RLIMIT_CPU = 0, RLIMIT_FSIZE = 1, RLIMIT_CORE = 4, RLIMIT_NPROC = 6, RLIMIT_NOFILE = 7, RLIMIT_AS = 9;
    private const int MaxEntries = 6;

    // Fixed-size fields instead of a list: Apply runs with no managed allocation.
    private readonly int[] _resources = new int[MaxEntries];
    private readonly ulong[] _soft = new ulong[MaxEntries];
    private readonly ulong[] _hard = new ulong[MaxEntries];
    private readonly ulong[] _applied = new ulong[MaxEntries];
    private int _count;

    /// <summary>The limits set so far, in order.</summary>
    public int Count => _count;

    public ResourceLimits(LaunchOptions options)
    {
        Add(RLIMIT_CORE, 0, 0);
        // SIGXCPU at the soft limit; SIGKILL one second later for a program that ignores SIGXCPU.
        if (options.CpuSeconds is { } cpu) Add(RLIMIT_CPU, cpu, cpu == ulong.MaxValue ? cpu : cpu + 1);
        if (options.MaxProcesses is { } nproc) Add(RLIMIT_NPROC, nproc, nproc);
        if (options.FileSizeMb is { } fsize) Add(RLIMIT_FSIZE, fsize << 20, fsize << 20);
        if (options.OpenFiles is { } nofile) Add(RLIMIT_NOFILE, nofile, nofile);
        if (options.MemoryMb is { } mem) Add(RLIMIT_AS, mem << 20, mem << 20);
    }

    private void Add(int resource, ulong soft, ulong hard)
    {
        _resources[_count] = resource;
        _soft[_count] = soft;
        _hard[_count] = hard;
        _count++;
    }

    /// <summary>Applies every limit in order; on failure prints one line and returns false.</summary>
    public bool Apply()
    {
        for (int i = 0; i < _count; i++)
        {
            RLimit current;
            if (Libc.getrlimit(_resources[i], &current) != 0) return Fail(_resources[i], Libc.Errno);
            RLimit wanted;
            wanted.Maximum = Math.Min(_hard[i], current.Maximum);
            wanted.Current = Math.Min(_soft[i], wanted.Maximum);
            if (Libc.setrlimit(_resources[i], &wanted) != 0) return Fail(_resources[i], Libc.Errno);
            _applied[i] = wanted.Current;
        }
        return true;
    }

    /// <summary>The status record's name of limit <paramref name="index"/> (<see cref="StatusKey.RlimitPrefix"/> + name).</summary>
    public string Name(int index) => _resources[index] switch
    {
        RLIMIT_CPU => StatusKey.RlimitCpu,
        RLIMIT_FSIZE => StatusKey.RlimitFileSize,
        RLIMIT_CORE => StatusKey.RlimitCore,
        RLIMIT_NPROC => StatusKey.RlimitProcesses,
        RLIMIT_NOFILE => StatusKey.RlimitOpenFiles,
        _ => StatusKey.RlimitAddressSpace,
    };

    /// <summary>The soft limit Apply set for limit <paramref name="index"/> (never above the inherited hard limit).</summary>
    public ulong Applied(int index) => _applied[index];

    private static bool Fail(int resource, int errno)
    {
        Span<byte> buf = stackalloc byte[512];
        Diagnostics.Emit(new LineBuilder(buf).Append(Diagnostics.Prefix).Append("setrlimit("u8).Append(resource).Append("): "u8)
            .AppendErrno(errno));
        return false;
    }
}
