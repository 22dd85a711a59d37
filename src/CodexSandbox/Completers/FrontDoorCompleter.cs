using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using CodexSandbox.Commands;

namespace CodexSandbox.Completers;

/// <summary>
/// Tab completion for the front-door function Invoke-SandboxedCommand, registered as its native completer (the
/// function has no parameters, so PowerShell has nothing of its own to complete). Before the program: the values of
/// our parameters (modes, policies, profiles, folders) and, for an empty word, our parameter names; in the program's
/// place: program names; after the program: nothing, so PowerShell completes file names.
/// PowerShell does not hand a word that starts with '-' to a native completer of a function, so "-Sand&lt;Tab&gt;"
/// completes nothing.
/// </summary>
public static class FrontDoorCompleter
{
    public static IEnumerable<CompletionResult> Complete(string? wordToComplete, CommandAst commandAst, int cursorPosition)
    {
        var word = wordToComplete ?? "";
        var cmdlet = new CmdletInfo("Invoke-SandboxedCommand", typeof(InvokeSandboxedCommandCommand));
        var parameters = new Dictionary<string, ParameterMetadata>(cmdlet.Parameters, StringComparer.OrdinalIgnoreCase);
        var elements = commandAst.CommandElements;

        // The element being completed: the one under the cursor, or a new one after the last.
        int target = elements.Count;
        for (int e = 1; e < elements.Count; e++)
        {
            if (elements[e].Extent.StartOffset <= cursorPosition && cursorPosition <= elements[e].Extent.EndOffset) { target = e; break; }
            if (elements[e].Extent.StartOffset > cursorPosition) { target = e; break; }
        }

        ParameterMetadata? pending = null;
        bool beforeProgram = true;
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var fake = new Hashtable(StringComparer.OrdinalIgnoreCase);
        for (int e = 1; e < target; e++)
        {
            var element = elements[e];
            if (pending is not null)
            {
                if (element is StringConstantExpressionAst s) fake[pending.Name] = s.Value;
                pending = null;
                continue;
            }
            if (element is CommandParameterAst p)
            {
                if (!beforeProgram) continue;
                if (p.ParameterName == "-" && p.Extent.Text == "--") break;   // "--": the next word is the program
                if (parameters.TryGetValue(p.ParameterName, out var ours))
                {
                    used.Add(ours.Name);
                    if (p.Argument is StringConstantExpressionAst v) fake[ours.Name] = v.Value;
                    else if (p.Argument is null && !ours.SwitchParameter) pending = ours;
                }
                continue;
            }
            if (element is VariableExpressionAst { Splatted: true }) continue;
            beforeProgram = false;
        }
        // A "--" right before the word: it is the program.
        bool afterDashDash = target > 1 && elements[target - 1] is CommandParameterAst { ParameterName: "-" } d && d.Extent.Text == "--";

        if (pending is not null) return Values(pending, word, commandAst, fake);
        if (!beforeProgram) return [];
        if (word.Length == 0 && !afterDashDash)
        {
            return parameters.Values
                .Where(p => !used.Contains(p.Name) && !Cmdlet.CommonParameters.Contains(p.Name))
                .OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
                .Select(p => new CompletionResult("-" + p.Name, p.Name, CompletionResultType.ParameterName, $"[{p.ParameterType.Name}] {p.Name}"))
                .ToList();
        }
        return Programs(word);
    }

    private static IEnumerable<CompletionResult> Values(ParameterMetadata parameter, string word, CommandAst commandAst, Hashtable fake)
    {
        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        if (type.IsEnum)
        {
            var text = CompletionText.Unquote(word);
            return Enum.GetNames(type)
                .Where(n => CompletionText.Matches(n, text))
                .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n))
                .ToList();
        }
        var completer = parameter.Attributes.OfType<ArgumentCompleterAttribute>().FirstOrDefault()?.Type;
        if (completer is not null && Activator.CreateInstance(completer) is IArgumentCompleter instance)
        {
            return instance.CompleteArgument("Invoke-SandboxedCommand", parameter.Name, word, commandAst, fake).ToList();
        }
        return [];
    }

    /// <summary>Programs on PATH; a word with a '/' is a path, left to PowerShell's file-name completion.</summary>
    private static IEnumerable<CompletionResult> Programs(string word)
    {
        var text = CompletionText.Unquote(word);
        if (text.Length == 0 || text.Contains('/', StringComparison.Ordinal) || text.StartsWith('.') || text.StartsWith('~')) return [];
        return CompletionCompleters.CompleteCommand(text, null, CommandTypes.Application)
            .Where(r => !r.CompletionText.Contains('/', StringComparison.Ordinal))
            .GroupBy(r => r.CompletionText, StringComparer.Ordinal)
            .Select(g => g.First())
            .ToList();
    }
}
