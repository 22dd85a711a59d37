namespace CodexSandbox.Engine.Policy.Steps;

/// <summary><c>[sandbox_limits]</c>: resource limits; unset ones stay unlimited, the output cap has a default.</summary>
internal static class LimitsStep
{
    public static ResourceLimits Resolve(Resolution r) => new()
    {
        CpuSeconds = r.Pick(l => l.CpuSeconds)?.Value,
        MemoryMB = r.Pick(l => l.MemoryMB)?.Value,
        MaxProcesses = r.Pick(l => l.MaxProcesses)?.Value,
        FileSizeMB = r.Pick(l => l.FileSizeMB)?.Value,
        OpenFiles = r.Pick(l => l.OpenFiles)?.Value,
        TimeoutSec = r.Pick(l => l.TimeoutSec) is { } timeout ? (int)Math.Min(timeout.Value, int.MaxValue) : null,
        OutputMaxBytes = r.Pick(l => l.OutputMaxBytes)?.Value ?? ResourceLimits.DefaultOutputMaxBytes,
    };
}
