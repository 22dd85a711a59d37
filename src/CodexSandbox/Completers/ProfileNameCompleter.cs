using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using CodexSandbox.Engine.Configuration;

namespace CodexSandbox.Completers;

/// <summary>Completes -Profile with the profiles defined in the config in effect (honouring -ConfigPath and -WorkingDirectory).</summary>
public sealed class ProfileNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = CompletionText.Unquote(wordToComplete);
        LoadedConfig config;
        try
        {
            var cwd = fakeBoundParameters["WorkingDirectory"] as string ?? CompletionText.CurrentDirectory();
            var request = ConfigRequest.FromEnvironment(Path.GetFullPath(cwd), fakeBoundParameters["ConfigPath"] as string);
            config = ConfigLoader.Load(request);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return [];
        }
        return config.ProfileNames
            .Where(n => CompletionText.Matches(n, word))
            .Select(n => CompletionText.Result(n, CompletionResultType.ParameterValue, $"profile {n}"))
            .ToList();
    }
}
