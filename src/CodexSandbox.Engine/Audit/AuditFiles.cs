namespace CodexSandbox.Engine.Audit;

/// <summary>
/// Naming of the log's files. The active file is <c>&lt;stem&gt;.jsonl</c>; each rotation renames it to
/// <c>&lt;stem&gt;.&lt;n&gt;.jsonl</c> with n one more than the last rotation (1, 2, 3, …), so a higher number is
/// always newer and the chain order is: rotated files by ascending n, then the active file. One rename per
/// rotation, nothing renumbered, so a crash cannot leave the order ambiguous.
/// </summary>
internal sealed class AuditFiles
{
    public AuditFiles(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) full = Path.Combine(full, AuditLog.DefaultFileName);
        ActivePath = full;
        Folder = Path.GetDirectoryName(full) ?? "/";
        var name = Path.GetFileName(full);
        Stem = name.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) ? name[..^6] : name;
        LockPath = full + ".lock";
        AnchorPath = Path.Combine(Folder, Stem + ".anchor.json");
    }

    public string ActivePath { get; }
    public string Folder { get; }
    public string Stem { get; }
    /// <summary>The cross-process lock; it also stores the chain head (last seq, hash, active length, generation).</summary>
    public string LockPath { get; }
    /// <summary>Written by retention: the last record of the newest deleted file, where the remaining chain starts.</summary>
    public string AnchorPath { get; }

    public string RotatedPath(long generation) => Path.Combine(Folder, $"{Stem}.{generation}.jsonl");

    /// <summary>Rotated files, oldest first, with their generation numbers.</summary>
    public List<(long Generation, string Path)> Rotated()
    {
        var result = new List<(long, string)>();
        if (!Directory.Exists(Folder)) return result;
        var prefix = Stem + ".";
        foreach (var file in Directory.EnumerateFiles(Folder, Stem + ".*.jsonl"))
        {
            var name = Path.GetFileName(file);
            var middle = name.AsSpan(prefix.Length, name.Length - prefix.Length - ".jsonl".Length);
            if (middle.Length > 0 && middle.Length <= 18 && long.TryParse(middle, System.Globalization.NumberStyles.None, null, out var n) && n > 0)
                result.Add((n, file));
        }
        result.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return result;
    }

    /// <summary>Every file of the chain, oldest first; the active file last when it exists.</summary>
    public List<string> ChainOrder()
    {
        var files = Rotated().Select(r => r.Path).ToList();
        if (File.Exists(ActivePath)) files.Add(ActivePath);
        return files;
    }
}
