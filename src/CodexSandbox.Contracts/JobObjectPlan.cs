namespace CodexSandbox;

/// <summary>The job object the command runs in: the whole process tree dies with the job, and the limits apply to the tree.</summary>
public sealed class JobObjectPlan
{
    public const uint LimitJobTime = 0x4;
    public const uint LimitActiveProcess = 0x8;
    public const uint LimitJobMemory = 0x200;
    public const uint LimitDieOnUnhandledException = 0x400;
    public const uint LimitKillOnJobClose = 0x2000;

    /// <summary>No desktop switching, clipboard, global atoms, other processes' USER handles, system settings or logoff.</summary>
    public const uint UiRestrictions = 0x1 | 0x2 | 0x4 | 0x8 | 0x10 | 0x20 | 0x40 | 0x80;

    public bool KillOnJobClose { get; init; } = true;
    public bool DieOnUnhandledException { get; init; } = true;
    public uint? ActiveProcessLimit { get; init; }
    public ulong? JobMemoryLimitBytes { get; init; }
    /// <summary>User-mode CPU time for the whole job, in 100-nanosecond ticks.</summary>
    public long? JobUserTimeLimitTicks { get; init; }

    public uint LimitFlags =>
        (KillOnJobClose ? LimitKillOnJobClose : 0) | (DieOnUnhandledException ? LimitDieOnUnhandledException : 0)
        | (ActiveProcessLimit is null ? 0 : LimitActiveProcess) | (JobMemoryLimitBytes is null ? 0 : LimitJobMemory)
        | (JobUserTimeLimitTicks is null ? 0 : LimitJobTime);

    public static JobObjectPlan FromLimits(ResourceLimits limits) => new()
    {
        ActiveProcessLimit = limits.MaxProcesses is { } p ? (uint)Math.Clamp(p, 1, uint.MaxValue) : null,
        JobMemoryLimitBytes = limits.MemoryMB is { } m ? (ulong)Math.Max(m, 1) * 1024 * 1024 : null,
        JobUserTimeLimitTicks = limits.CpuSeconds is { } c ? Math.Max(c, 1) * TimeSpan.TicksPerSecond : null,
    };

    public override string ToString()
    {
        var parts = new List<string> { "kill on close" };
        if (ActiveProcessLimit is { } p) parts.Add($"at most {p} processes");
        if (JobMemoryLimitBytes is { } m) parts.Add($"memory {m / (1024 * 1024)} MB for the job");
        if (JobUserTimeLimitTicks is { } t) parts.Add($"CPU {t / TimeSpan.TicksPerSecond} s for the job");
        parts.Add("UI restricted (clipboard, desktops, global atoms, handles, system settings)");
        return "Job object: " + string.Join(", ", parts);
    }
}
