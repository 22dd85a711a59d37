using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace CodexSandbox.Completers;

/// <summary>Shared pieces of our completers: quote handling and prefix matching.</summary>
internal static class CompletionText
{
    public static string Unquote(string word) => word.Trim('\'', '"');

    /// <summary>The session's current file-system folder (Set-Location does not change the process's directory).</summary>
    public static string CurrentDirectory()
    {
        try
        {
            using var ps = PowerShell.Create(RunspaceMode.CurrentRunspace);
            var location = ps.AddCommand("Microsoft.PowerShell.Management\\Get-Location").AddParameter("PSProvider", "FileSystem").Invoke<PathInfo>();
            if (location.Count > 0) return location[0].ProviderPath;
        }
        catch (Exception e) when (e is InvalidRunspaceStateException or PSInvalidOperationException or CmdletInvocationException) { }
        return System.Environment.CurrentDirectory;
    }

    public static bool Matches(string candidate, string word) =>
        WildcardPattern.Get(WildcardPattern.Escape(word) + "*", WildcardOptions.IgnoreCase).IsMatch(candidate);

    public static CompletionResult Result(string text, CompletionResultType type, string tooltip)
    {
        var quoted = text.IndexOfAny([' ', '\'', '"', '$', '`', '(', ')', '{', '}', ';', '&', ',']) >= 0 ? $"'{text.Replace("'", "''", StringComparison.Ordinal)}'" : text;
        return new CompletionResult(quoted, text, type, tooltip);
    }
}
