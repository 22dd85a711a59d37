namespace CodexSandbox.LauncherContract;

/// <summary>
/// The text format of the launcher's records, the status record (<see cref="StatusKey"/>) and the probe record
/// (<see cref="ProbeKey"/>): ASCII lines "key=value", the first one <c>format=</c><see cref="Version"/>. A value
/// never holds a newline. A key may appear more than once; the last one counts (the supervisor and the
/// supervised launcher write to one descriptor, and an exec that fails after the exec record appends the refusal).
/// New keys may be added within a version; a reader skips keys it does not know.
/// </summary>
internal static class RecordFormat
{
    public const int Version = 1;
    public const string VersionKey = "format";
    public const char Separator = '=';
    public const char LineEnd = '\n';
    public const string Yes = "1";
    public const string No = "0";

    /// <summary>A record is written with one write(2) of at most PIPE_BUF bytes, so it is never split or interleaved.</summary>
    public const int MaxBytes = 4096;
}
