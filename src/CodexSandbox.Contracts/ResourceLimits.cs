namespace CodexSandbox;

/// <summary>The <c>[sandbox_limits]</c> table; a null value means no limit.</summary>
public sealed class ResourceLimits
{
    public long? CpuSeconds { get; init; }
    public long? MemoryMB { get; init; }
    public long? MaxProcesses { get; init; }
    public long? FileSizeMB { get; init; }
    public long? OpenFiles { get; init; }
    public int? TimeoutSec { get; init; }
    /// <summary>Bytes of stdout and of stderr kept per run; the rest is dropped and the result marked truncated.</summary>
    public long OutputMaxBytes { get; init; } = DefaultOutputMaxBytes;

    public const long DefaultOutputMaxBytes = 16L * 1024 * 1024;

    public override string ToString()
    {
        var parts = new List<string>();
        if (CpuSeconds is { } c) parts.Add($"cpu {c}s");
        if (MemoryMB is { } m) parts.Add($"memory {m} MB");
        if (MaxProcesses is { } p) parts.Add($"processes {p}");
        if (FileSizeMB is { } f) parts.Add($"file size {f} MB");
        if (OpenFiles is { } o) parts.Add($"open files {o}");
        if (TimeoutSec is { } t) parts.Add($"timeout {t}s");
        parts.Add($"output {OutputMaxBytes} bytes");
        return string.Join(", ", parts);
    }
}
