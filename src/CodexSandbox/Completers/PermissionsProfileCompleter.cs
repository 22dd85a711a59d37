using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using CodexSandbox.Engine.Configuration;

namespace CodexSandbox.Completers;

/// <summary>
/// Completes -Permissions with the built-in profiles and the <c>[permissions.&lt;id&gt;]</c> tables of the config in effect
/// (honouring -ConfigPath, -WorkingDirectory and -Profile).
/// </summary>
public sealed class PermissionsProfileCompleter : IArgumentCompleter
{
    private static readonly string[] BuiltIns = [":read-only", ":workspace", ":danger-full-access"];

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = CompletionText.Unquote(wordToComplete);
        IEnumerable<string> defined;
        try
        {
            var cwd = fakeBoundParameters["WorkingDirectory"] as string ?? CompletionText.CurrentDirectory();
            var request = ConfigRequest.FromEnvironment(Path.GetFullPath(cwd), fakeBoundParameters["ConfigPath"] as string, fakeBoundParameters["Profile"] as string);
            defined = ConfigLoader.Load(request).PermissionProfileIds;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or ConfigException)
        {
            defined = [];
        }
        return defined.Concat(BuiltIns)
            .Where(n => CompletionText.Matches(n, word))
            .Select(n => CompletionText.Result(n, CompletionResultType.ParameterValue, n.StartsWith(':') ? $"built-in permission profile {n}" : $"permission profile {n}"))
            .ToList();
    }
}
