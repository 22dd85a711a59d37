using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace CodexSandbox.Completers;

/// <summary>Completes folder paths (for -WritableRoot and -WorkingDirectory), relative to the current directory or absolute.</summary>
public sealed class DirectoryCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = CompletionText.Unquote(wordToComplete);
        var home = System.Environment.GetEnvironmentVariable("HOME") ?? "/";
        var expanded = word.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(home, word[2..]) : word;
        var baseDir = CompletionText.CurrentDirectory();
        var dirPart = expanded.Contains('/') ? expanded[..(expanded.LastIndexOf('/') + 1)] : "";
        var namePart = expanded[dirPart.Length..];
        var searchDir = Path.GetFullPath(dirPart.Length == 0 ? "." : dirPart, baseDir);
        if (!Directory.Exists(searchDir)) return [];
        try
        {
            return Directory.EnumerateDirectories(searchDir)
                .Select(Path.GetFileName)
                .Where(n => n is not null && CompletionText.Matches(n, namePart) && (namePart.StartsWith('.') || !n.StartsWith('.')))
                .Order(StringComparer.Ordinal)
                .Take(200)
                .Select(n => CompletionText.Result(dirPart + n + "/", CompletionResultType.ProviderContainer, Path.Combine(searchDir, n!)))
                .ToList();
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }
}
