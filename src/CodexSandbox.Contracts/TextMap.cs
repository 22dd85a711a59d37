using System.Collections;
using System.Collections.ObjectModel;

namespace CodexSandbox;

/// <summary>
/// The read-only dictionary behind the map properties of the output types: converts to text as its entries
/// (<c>NAME=value; OTHER=value</c>, a list value joined with <c>", "</c>), not as its type name, so Export-Csv writes
/// something readable. Otherwise an ordinary read-only dictionary, except that its non-generic view (the one
/// ConvertTo-Json reads) has text keys: ConvertTo-Json refused the enum-keyed maps, as it accepts only string keys.
/// </summary>
public sealed class TextMap<TKey, TValue> : ReadOnlyDictionary<TKey, TValue>, IDictionary
    where TKey : notnull
{
    public static new TextMap<TKey, TValue> Empty { get; } = new(new Dictionary<TKey, TValue>());

    private TextMap(IDictionary<TKey, TValue> entries) : base(entries)
    {
    }

    /// <summary>The same entries as a TextMap: wrapped, not copied, when the map is a dictionary already.</summary>
    public static TextMap<TKey, TValue> From(IReadOnlyDictionary<TKey, TValue> entries) => entries switch
    {
        TextMap<TKey, TValue> text => text,
        IDictionary<TKey, TValue> dictionary => new TextMap<TKey, TValue>(dictionary),
        _ => new TextMap<TKey, TValue>(entries.ToDictionary(e => e.Key, e => e.Value)),
    };

    /// <summary>As <see cref="From(IReadOnlyDictionary{TKey, TValue})"/>, keeping null (not recorded) as null.</summary>
    public static TextMap<TKey, TValue>? FromNullable(IReadOnlyDictionary<TKey, TValue>? entries) => entries is null ? null : From(entries);

    ICollection IDictionary.Keys => this.Keys.Select(KeyText).ToArray();

    object? IDictionary.this[object key]
    {
        get => TryKey(key, out var k) && TryGetValue(k, out var value) ? value : null;
        set => throw new NotSupportedException("The map is read-only.");
    }

    bool IDictionary.Contains(object key) => TryKey(key, out var k) && ContainsKey(k);

    IDictionaryEnumerator IDictionary.GetEnumerator()
    {
        var ordered = new System.Collections.Specialized.OrderedDictionary(Count);
        foreach (var (key, value) in this) ordered[KeyText(key)] = value;
        return ordered.GetEnumerator();
    }

    private static string KeyText(TKey key) => key.ToString() ?? "";

    private static bool TryKey(object key, out TKey result)
    {
        switch (key)
        {
            case TKey k:
                result = k;
                return true;
            case string text when typeof(TKey).IsEnum && Enum.TryParse(typeof(TKey), text, ignoreCase: true, out var parsed):
                result = (TKey)parsed;
                return true;
            default:
                result = default!;
                return false;
        }
    }

    public override string ToString() => string.Join("; ", this.Select(e => $"{e.Key}={Text(e.Value)}"));

    private static string? Text(TValue value) =>
        value is IEnumerable items and not string ? string.Join(", ", items.Cast<object?>()) : value?.ToString();
}
