using System.Globalization;

namespace CodexSandbox.Engine.Rollback;

/// <summary>The <c>[sandbox_rollback]</c> table: when to take checkpoints and how big a folder copy may be.</summary>
public sealed record RollbackSettings(CheckpointMode Checkpoint, long MaxSnapshotBytes)
{
    public const long DefaultMaxSnapshotMb = 100;
    private const long BytesPerMb = 1024 * 1024;

    public static RollbackSettings Default { get; } = new(CheckpointMode.OnApproval, DefaultMaxSnapshotMb * BytesPerMb);

    /// <summary>
    /// Reads the raw TOML values of <c>checkpoint</c> and <c>max_snapshot_mb</c> (null when absent). An invalid value
    /// keeps its default and adds a sentence to <paramref name="problems"/>.
    /// </summary>
    public static RollbackSettings Parse(object? checkpoint, object? maxSnapshotMb, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var mode = Default.Checkpoint;
        switch (checkpoint)
        {
            case null:
                break;
            case string s when TryParseMode(s, out var m):
                mode = m;
                break;
            default:
                problems.Add($"sandbox_rollback.checkpoint must be \"always\", \"never\" or \"on-approval\", not {Show(checkpoint)}; using \"on-approval\".");
                break;
        }

        var bytes = Default.MaxSnapshotBytes;
        long? mb = maxSnapshotMb switch
        {
            null => null,
            long l => l,
            int i => i,
            double d when d == Math.Floor(d) && d is >= 0 and <= long.MaxValue / BytesPerMb => (long)d,
            _ => -1,
        };
        if (mb is { } n)
        {
            if (n >= 0 && n <= long.MaxValue / BytesPerMb) bytes = n * BytesPerMb;
            else problems.Add($"sandbox_rollback.max_snapshot_mb must be a whole number of megabytes, 0 or more, not {Show(maxSnapshotMb)}; using {DefaultMaxSnapshotMb}.");
        }
        return new RollbackSettings(mode, bytes);
    }

    /// <summary>The config spellings: <c>always</c>, <c>never</c>, <c>on-approval</c>.</summary>
    public static bool TryParseMode(string text, out CheckpointMode mode)
    {
        switch (text)
        {
            case "always": mode = CheckpointMode.Always; return true;
            case "never": mode = CheckpointMode.Never; return true;
            case "on-approval": mode = CheckpointMode.OnApproval; return true;
            default: mode = default; return false;
        }
    }

    private static string Show(object? value) => value switch
    {
        string s => $"\"{s}\"",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.GetType().Name ?? "nothing",
    };
}
