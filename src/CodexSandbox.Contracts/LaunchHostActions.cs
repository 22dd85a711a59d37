namespace CodexSandbox;

/// <summary>
/// What the host does around one run besides starting the plan's program: what it creates before the run and removes
/// after it, and what it sets up for it. Part of the plan, so a reviewer sees it and the run does exactly this.
/// </summary>
public sealed record LaunchHostActions
{
    /// <summary>Nothing to do around the run.</summary>
    public static LaunchHostActions None { get; } = new();

    /// <summary>Empty files bubblewrap needs on the host to mask missing protected paths read-only; removed after the run.</summary>
    public IReadOnlyList<string> MaskFiles { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
    /// <summary>Empty folders bubblewrap needs on the host to mask a missing <c>.git</c> read-only; removed after the run.</summary>
    public IReadOnlyList<string> MaskDirectories { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
    /// <summary>Per-run private folders (the launcher-only layer's TMPDIR), mode 0700: created before the run, deleted after it.</summary>
    public IReadOnlyList<string> PrivateFolders { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
    /// <summary>
    /// Linux, a root caller with <c>max_processes</c>: the <c>pids.max</c> of a per-run pids cgroup the command joins,
    /// since the kernel does not apply RLIMIT_NPROC to root. Null for none.
    /// </summary>
    public long? PidsCgroupLimit { get; init; }
    /// <summary>Windows: the token, job object and command line the runner sets up; null elsewhere and without a sandbox.</summary>
    public WindowsLaunchDetails? Windows { get; init; }

    /// <summary>One line per action, for review.</summary>
    public IReadOnlyList<string> Describe()
    {
        var lines = new List<string>();
        if (MaskFiles.Count > 0) lines.Add($"mask files (created empty, removed after the run): {string.Join(", ", MaskFiles)}");
        if (MaskDirectories.Count > 0) lines.Add($"mask folders (created empty, removed after the run): {string.Join(", ", MaskDirectories)}");
        if (PrivateFolders.Count > 0) lines.Add($"private folders (mode 0700, deleted after the run): {string.Join(", ", PrivateFolders)}");
        if (PidsCgroupLimit is { } pids) lines.Add($"pids cgroup: the command joins a per-run cgroup with pids.max = {pids}");
        if (Windows is { } w)
        {
            lines.Add($"command line: {w.CommandLine}");
            lines.Add(w.Token.ToString());
            lines.Add(w.Job.ToString());
            if (w.DenyBinDirectory is { } denyBin) lines.Add($"deny-bin: ssh and scp stubs in {denyBin}, first on PATH");
        }
        return lines;
    }

    public override string ToString() => string.Join("; ", Describe());
}
