using System.Collections.ObjectModel;

namespace CodexSandbox;

/// <summary>
/// An argument vector whose text is the command as a POSIX shell would take it back (<c>/bin/sh -c 'echo hi'</c>), so
/// Export-Csv writes a readable command instead of a type name. Otherwise an ordinary read-only list.
/// </summary>
public sealed class ArgvList : ReadOnlyCollection<string>
{
    public static new ArgvList Empty { get; } = new([]);

    private ArgvList(IList<string> items) : base(items)
    {
    }

    /// <summary>The same words as an ArgvList: wrapped, not copied.</summary>
    public static ArgvList From(IReadOnlyList<string>? argv) => argv switch
    {
        null => Empty,
        ArgvList list => list,
        IList<string> list => new ArgvList(list),
        _ => new ArgvList([.. argv]),
    };

    public override string ToString() => string.Join(" ", this.Select(Quote));

    // Single quotes keep every character but the quote itself, which is written as '\''.
    private static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "@%+=:,./_-".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
