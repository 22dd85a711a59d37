using CodexSandbox.Launcher.Cli;
using CodexSandbox.Launcher.Landlock;
using CodexSandbox.Launcher.Limits;
using CodexSandbox.Launcher.Native;
using CodexSandbox.Launcher.Output;
using CodexSandbox.Launcher.Seccomp;
using CodexSandbox.LauncherContract;

namespace CodexSandbox.Launcher.Status;

/// <summary>
/// The status record on <see cref="LauncherOption.StatusFd"/> (keys in <see cref="StatusKey"/>): what this launcher
/// applied, written right before execve, or why it refused. The descriptor is close-on-exec, so once the exec
/// record is written, end-of-file tells the reader the command was exec'd (a failed exec appends a refusal first).
/// Without --status-fd every call here does nothing.
/// </summary>
/// <remarks>Nothing here allocates: the exec record is written after RLIMIT_AS and the seccomp filter.</remarks>
internal static unsafe class StatusReport
{
    private const int F_SETFD = 2, FD_CLOEXEC = 1, EBADF = 9;

    private static int s_fd = -1;

    /// <summary>The status descriptor, or -1.</summary>
    public static int Descriptor => s_fd;

    /// <summary>Takes over <paramref name="fd"/> and makes it close-on-exec: the command must never hold it. A descriptor
    /// that is not open means nobody reads the record (a plan shown by -WhatIf, run by hand): the run goes on without
    /// one, and a reader that expected one would find none and claim nothing.</summary>
    public static void Open(int fd)
    {
        if (Posix.fcntl(fd, F_SETFD, FD_CLOEXEC) == 0) s_fd = fd;
        else if (Libc.Errno != EBADF) throw LauncherException.FromErrno(LaunchErrorKind.Usage, Ascii.Bytes(LauncherOption.StatusFd), Libc.Errno);
    }

    /// <summary>The supervisor's line: it will kill whatever the command leaves behind. The supervised copy writes the rest.</summary>
    public static void Supervised()
    {
        if (s_fd < 0) return;
        Span<byte> buffer = stackalloc byte[256];
        var record = new RecordWriter(buffer);
        record.Add(StatusKey.Supervisor, true);
        record.WriteTo(s_fd);
    }

    /// <summary>Renumbers the descriptor to at least <paramref name="minimum"/> (still close-on-exec), to hand it
    /// to a child as a posix_spawn dup2 source; -errno on failure.</summary>
    public static int MoveAtLeast(int minimum)
    {
        int moved = SelfSpawn.MoveAtLeast(s_fd, minimum);
        if (moved >= 0) s_fd = moved;
        return moved;
    }

    /// <summary>Closes this process's copy (the supervisor's, once the supervised copy holds its own).</summary>
    public static void Close()
    {
        if (s_fd < 0) return;
        Libc.close(s_fd);
        s_fd = -1;
    }

    /// <summary>The refusal record: <paramref name="kind"/>, and the last message printed on stderr.</summary>
    public static void Refused(LaunchErrorKind kind)
    {
        if (s_fd < 0) return;
        Span<byte> buffer = stackalloc byte[RecordFormat.MaxBytes];
        var record = new RecordWriter(buffer);
        record.Add(StatusKey.Outcome, StatusKey.Refused);
        record.Add(StatusKey.Error, LauncherValue.Spell(kind));
        Diagnostics.AddLastMessage(ref record, StatusKey.Message);
        record.WriteTo(s_fd);
    }

    /// <summary>The exec record: everything applied, in the order the restrictions were applied.</summary>
    /// <param name="ruleset">Null when the kernel has no Landlock and --allow-missing-landlock allowed that.</param>
    public static void Exec(LandlockRuleset? ruleset, SeccompFilter filter, ResourceLimits limits, bool boundingSetDropped, bool newSession)
    {
        if (s_fd < 0) return;
        Span<byte> buffer = stackalloc byte[RecordFormat.MaxBytes];
        var record = new RecordWriter(buffer);
        for (int i = 0; i < limits.Count; i++) record.Add(StatusKey.RlimitPrefix, limits.Name(i), limits.Applied(i));
        record.Add(StatusKey.NoNewPrivileges, true);
        record.Add(StatusKey.Capabilities, true);
        record.Add(StatusKey.BoundingSet, boundingSetDropped);
        record.Add(StatusKey.NewSession, newSession);
        record.Add(StatusKey.Landlock, ruleset is not null);
        record.Add(StatusKey.LandlockAbi, ruleset?.Abi ?? 0);
        record.Add(StatusKey.LandlockRules, ruleset?.RuleCount ?? 0);
        record.Add(StatusKey.LandlockNetwork, ruleset?.HandlesNetwork ?? false);
        record.Add(StatusKey.LandlockScope, ruleset?.Scoped ?? false);
        record.Add(StatusKey.ReadLimit, ruleset?.LimitsReads ?? false);
        record.Add(StatusKey.ReadableRoots, ruleset?.ReadableCount ?? 0);
        record.Add(StatusKey.Seccomp, true);
        record.Add(StatusKey.SeccompNetwork, LauncherValue.Spell(filter.Network));
        record.Add(StatusKey.SeccompMetadata, filter.DeniesMetadata);
        record.Add(StatusKey.NoUnixSockets, filter.DeniesUnixSockets);
        record.Add(StatusKey.Descriptors, true);
        record.Add(StatusKey.Outcome, StatusKey.Exec);
        record.WriteTo(s_fd);
    }
}
