using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using CodexSandbox.Engine.Audit;
using CodexSandbox.Engine.Rollback;
using CodexSandbox.Internal;

namespace CodexSandbox.Completers;

/// <summary>
/// Completes -Id with the ids of the checkpoints in the store, newest first. The tooltip says when each was taken and
/// for which command (from the run's audit record, when it is among the recent ones), or else which folders.
/// </summary>
public sealed class CheckpointIdCompleter : IArgumentCompleter
{
    private const int MaxShown = 50;
    // Run records read back from the end of the log to name the commands; older checkpoints show their folders.
    private const int RecentRuns = 200;

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = CompletionText.Unquote(wordToComplete);
        List<Checkpoint> shown;
        try
        {
            shown = new CheckpointStore(CheckpointStores.Directory()).List()
                .Where(c => c.Taken && CompletionText.Matches(c.Id, word))
                .Take(MaxShown)
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        if (shown.Count == 0) return [];
        var commands = RecentCommands();
        return shown.Select(c => new CompletionResult(c.Id, c.Id, CompletionResultType.ParameterValue, Tooltip(c, commands))).ToList();
    }

    private static string Tooltip(Checkpoint c, IReadOnlyDictionary<string, string> commands)
    {
        var what = c.AuditId is { } id && commands.TryGetValue(id, out var command) ? command : string.Join(", ", c.Roots);
        var when = c.Created.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        return c.Undone is null ? $"{when}  {what}" : $"{when}  {what}  (undone)";
    }

    /// <summary>Audit id → command line of the most recent runs; empty when the log cannot be read.</summary>
    private static IReadOnlyDictionary<string, string> RecentCommands()
    {
        try
        {
            var path = AuditLogLocation.Resolve(CompletionText.CurrentDirectory());
            var query = new AuditQuery { Last = RecentRuns, EventTypes = [AuditEventType.CommandExecuted] };
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var r in AuditReader.Query(path, query))
            {
                if (r.Command is { Length: > 0 } command) result[r.Id] = command;
            }
            return result;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Engine.Configuration.ConfigException)
        {
            return new Dictionary<string, string>();
        }
    }
}
