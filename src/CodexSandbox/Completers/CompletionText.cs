using System.Management.Automation;

namespace CodexSandbox.Completers;

/// <summary>Shared pieces of our completers: quote handling and prefix matching.</summary>
internal static class CompletionText
{
    public static string Unquote(string word) => word.Trim('\'', '"');

    public static bool Matches(string candidate, string word) =>
        WildcardPattern.Get(WildcardPattern.Escape(word) + "*", WildcardOptions.IgnoreCase).IsMatch(candidate);

    public static CompletionResult Result(string text, CompletionResultType type, string tooltip)
    {
        var quoted = text.IndexOfAny([' ', '\'', '"', '$', '`', '(', ')', '{', '}', ';', '&', ',']) >= 0 ? $"'{text.Replace("'", "''", StringComparison.Ordinal)}'" : text;
        return new CompletionResult(quoted, text, type, tooltip);
    }
}
