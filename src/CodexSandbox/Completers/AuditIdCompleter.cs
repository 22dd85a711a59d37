using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using CodexSandbox.Engine.Audit;
using CodexSandbox.Internal;

namespace CodexSandbox.Completers;

/// <summary>Completes -Id with the ids of the most recent audit records, newest first, showing their commands.</summary>
public sealed class AuditIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = CompletionText.Unquote(wordToComplete);
        try
        {
            var path = fakeBoundParameters["Path"] as string ?? AuditLogLocation.ResolveForReading(CompletionText.CurrentDirectory(), out _);
            return AuditReader.Query(path, new AuditQuery { Last = 50 })
                .Reverse()
                .Where(r => CompletionText.Matches(r.Id, word))
                .Select(r => new CompletionResult(r.Id, r.Id, CompletionResultType.ParameterValue, $"{r.Time:u} {r.EventType} {r.Command}"))
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
