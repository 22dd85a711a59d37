using CodexSandbox.LauncherContract;

namespace CodexSandbox.Engine.Backends.Linux;

/// <summary>
/// The one reader of the launcher's records (<see cref="RecordFormat"/>: "key=value" lines, the first one
/// <c>format=1</c>), the status record of a run and the probe record of <c>--probe</c>; <see cref="LauncherStatus"/> and
/// <see cref="LauncherProbe"/> are typed views of it.
/// </summary>
internal sealed class LauncherRecord
{
    private readonly Dictionary<string, string> _values;

    private LauncherRecord(int format, Dictionary<string, string> values)
    {
        Format = format;
        _values = values;
    }

    /// <summary>The format version the writer used (keys are only ever added within one).</summary>
    public int Format { get; }

    /// <summary>The record in <paramref name="text"/>, or null when the text holds none (no <c>format</c> line, as from a
    /// launcher that died or was killed before it wrote anything). A key given twice keeps its last value; a last line
    /// without its newline was cut off and is skipped.</summary>
    public static LauncherRecord? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        int format = 0;
        int start = 0;
        while (start < text.Length)
        {
            int end = text.IndexOf(RecordFormat.LineEnd, start);
            if (end < 0) break;
            var line = text.AsSpan(start, end - start);
            start = end + 1;
            int separator = line.IndexOf(RecordFormat.Separator);
            if (separator <= 0) continue;
            var key = line[..separator].ToString();
            var value = line[(separator + 1)..].ToString();
            if (key == RecordFormat.VersionKey)
            {
                if (!int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out format)) return null;
                continue;
            }
            values[key] = value;
        }
        return format > 0 ? new LauncherRecord(format, values) : null;
    }

    public string? Text(string key) => _values.GetValueOrDefault(key);

    public bool Flag(string key) => _values.TryGetValue(key, out var value) && value == RecordFormat.Yes;

    public long Number(string key) =>
        _values.TryGetValue(key, out var value) && long.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : 0;

    /// <summary>Every key starting with <paramref name="prefix"/>, without the prefix, with its value as a number.</summary>
    public IReadOnlyDictionary<string, ulong> Numbers(string prefix)
    {
        var result = new SortedDictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var (key, value) in _values)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal) && ulong.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
                result[key[prefix.Length..]] = number;
        }
        return result;
    }
}
