using System.Collections.ObjectModel;

namespace CodexSandbox;

/// <summary>
/// The read-only list behind the list properties of the output types. A plain list converts to text as its type name,
/// which is what Export-Csv wrote (<c>System.Collections.Generic.List`1[System.String]</c>); this one converts to its
/// items, joined with <c>"; "</c>, or with a space after an item that ends a sentence (Reasons read as a paragraph).
/// Formatting, ConvertTo-Json, indexing and enumeration see an ordinary list.
/// </summary>
public sealed class TextList<T> : ReadOnlyCollection<T>
{
    public static new TextList<T> Empty { get; } = new([]);

    private TextList(IList<T> items) : base(items)
    {
    }

    /// <summary>The same items as a TextList: wrapped, not copied, as the list itself was kept before.</summary>
    public static TextList<T> From(IReadOnlyList<T>? items) => items switch
    {
        null => Empty,
        TextList<T> text => text,
        IList<T> list => new TextList<T>(list),
        _ => new TextList<T>([.. items]),
    };

    public override string ToString()
    {
        var text = new System.Text.StringBuilder();
        string? previous = null;
        foreach (var item in this)
        {
            if (previous is not null) text.Append(previous.Length > 0 && previous[^1] is '.' or '!' or '?' ? " " : "; ");
            previous = item?.ToString() ?? "";
            text.Append(previous);
        }
        return text.ToString();
    }
}
