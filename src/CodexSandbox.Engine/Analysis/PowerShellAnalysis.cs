using System.Globalization;
using System.Management.Automation.Language;

namespace CodexSandbox.Engine.Analysis;

/// <summary>
/// PowerShell scripts read with the real PowerShell parser, in-process (codex-behaviour.md §4.3): only literal command
/// pipelines and <c>&amp;&amp;</c>/<c>||</c> chains are accepted; everything else is "unsupported".
/// </summary>
public static class PowerShellAnalysis
{
    /// <summary>
    /// The commands of <paramref name="script"/> as word lists, or false when the script has parse errors or uses
    /// anything but literal commands (variables, subexpressions, script blocks, redirections, <c>&amp;</c>/<c>.</c> invocation…).
    /// </summary>
    public static bool TryParseCommands(string script, List<string[]> commands)
    {
        if (string.IsNullOrWhiteSpace(script)) return false;
        var ast = Parser.ParseInput(script, out var tokens, out var errors);
        if (errors.Length > 0) return false;
        // `&` (background job or call operator) never belongs to a literal command
        foreach (var token in tokens) if (token.Kind == TokenKind.Ampersand) return false;
        if (ast.ParamBlock is not null || ast.BeginBlock is not null || ast.ProcessBlock is not null || ast.DynamicParamBlock is not null) return false;
        if (ast.EndBlock is null || ast.EndBlock.Traps is { Count: > 0 }) return false;
        int first = commands.Count;
        foreach (var statement in ast.EndBlock.Statements)
        {
            if (!AddStatement(statement, commands))
            {
                commands.RemoveRange(first, commands.Count - first);
                return false;
            }
        }
        return commands.Count > first;
    }

    private static bool AddStatement(StatementAst statement, List<string[]> commands)
    {
        if (statement is PipelineAst pipeline) return AddPipeline(pipeline, commands);
        // PipelineChainAst (`a && b`) exists only in PowerShell 7; the engine compiles against 5.1, so walk it generically
        if (statement.GetType().Name == "PipelineChainAst")
        {
            foreach (var child in statement.FindAll(a => a.Parent == statement, searchNestedScriptBlocks: false))
            {
                if (child is not StatementAst inner || !AddStatement(inner, commands)) return false;
            }
            return true;
        }
        return false;
    }

    private static bool AddPipeline(PipelineAst pipeline, List<string[]> commands)
    {
        foreach (var element in pipeline.PipelineElements)
        {
            if (element is CommandAst command)
            {
                var words = CommandWords(command);
                if (words is null) return false;
                commands.Add(words);
            }
            else if (element is CommandExpressionAst { Redirections.Count: 0, Expression: ParenExpressionAst { Pipeline: PipelineAst inner } }
                && inner.PipelineElements.Count == 1)
            {
                if (!AddPipeline(inner, commands)) return false;
            }
            else
            {
                return false;
            }
        }
        return true;
    }

    private static string[]? CommandWords(CommandAst command)
    {
        if (command.InvocationOperator != TokenKind.Unknown || command.Redirections.Count > 0) return null;
        var words = new List<string>(command.CommandElements.Count + 1);
        foreach (var element in command.CommandElements)
        {
            switch (element)
            {
                // `--%` (stop parsing) passes the rest of the line to a native program verbatim, unparsed
                case StringConstantExpressionAst { StringConstantType: StringConstantType.BareWord, Value: "--%" }:
                    return null;
                case StringConstantExpressionAst s:
                    words.Add(s.Value);
                    break;
                case ExpandableStringExpressionAst e when e.NestedExpressions.Count == 0:
                    words.Add(e.Value);
                    break;
                case ConstantExpressionAst c:
                    words.Add(Convert.ToString(c.Value, CultureInfo.InvariantCulture) ?? "");
                    break;
                case CommandParameterAst p:
                    words.Add("-" + p.ParameterName);
                    if (p.Argument is not null)
                    {
                        if (p.Argument is not ConstantExpressionAst arg) return null;
                        words.Add(Convert.ToString(arg.Value, CultureInfo.InvariantCulture) ?? "");
                    }
                    break;
                default:
                    return null;
            }
        }
        return words.Count > 0 ? words.ToArray() : null;
    }

    /// <summary>True when the script parses to literal commands that are all on the PowerShell safe list.</summary>
    public static bool IsSafeScript(string script)
    {
        var commands = new List<string[]>(4);
        if (!TryParseCommands(script, commands)) return false;
        foreach (var c in commands) if (!PowerShellSafeCommands.IsSafe(c)) return false;
        return true;
    }

    /// <summary>
    /// §4.5 patterns on the script text (every OS), then the POSIX detector on each parsed command
    /// (on Linux <c>rm -rf</c> inside pwsh is the real <c>/bin/rm</c>).
    /// </summary>
    public static bool IsDangerousScript(string script, out string reason)
    {
        if (WindowsCommandPatterns.IsDangerousPowerShellText(script, out reason)) return true;
        var commands = new List<string[]>(4);
        if (TryParseCommands(script, commands))
        {
            foreach (var c in commands) if (DangerousCommands.IsDangerous(c, out reason)) return true;
            return false;
        }
        // unsupported script: look at each statement's words as plain text
        foreach (var words in SplitLenient(script))
        {
            if (DangerousCommands.IsDangerous(words, out reason)) return true;
        }
        reason = "";
        return false;
    }

    /// <summary>A best-effort split of any script into word lists (statements, pipeline parts, blocks), for scanning only.</summary>
    public static List<string[]> SplitLenient(string script)
    {
        var result = new List<string[]>();
        foreach (var part in script.Split([';', '|', '&', '\n', '\r', '{', '}', '(', ')'], StringSplitOptions.RemoveEmptyEntries))
        {
            var words = ShellWords.SplitLenient(part);
            if (words.Count > 0) result.Add(words.ToArray());
        }
        return result;
    }
}
