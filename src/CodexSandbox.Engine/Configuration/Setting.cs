namespace CodexSandbox.Engine.Configuration;

/// <summary>A config value with the place that set it.</summary>
public sealed record Setting(object Value, PolicySource Source, string? File, int Line, string? Profile = null)
{
    public PolicyOrigin Origin(string key, string? shown = null) => new(key, shown ?? Format(Value), Source, File, Line, Profile);

    public static string Format(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        IEnumerable<string> list => "[" + string.Join(", ", list) + "]",
        IEnumerable<int> numbers => "[" + string.Join(", ", numbers) + "]",
        IReadOnlyDictionary<string, string> map => "{" + string.Join(", ", map.Select(kv => $"{kv.Key}={kv.Value}")) + "}",
        _ => value.ToString() ?? "",
    };
}
