using System.Collections;

namespace CodexSandbox.Internal;

/// <summary>The -Environment hashtable as the variables it sets: names and values as text, a null value as empty.</summary>
internal static class EnvironmentParameter
{
    public static IReadOnlyDictionary<string, string> From(Hashtable? table)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (table is null) return result;
        foreach (DictionaryEntry e in table) result[e.Key.ToString()!] = e.Value?.ToString() ?? "";
        return result;
    }
}
