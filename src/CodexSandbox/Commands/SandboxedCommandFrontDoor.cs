using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using CodexSandbox.Internal;

namespace CodexSandbox.Commands;

/// <summary>
/// The argv front door of Invoke-SandboxedCommand: reads the words of a call verbatim (the <c>$args</c> of the
/// module's simple function of that name, which PowerShell does not bind) and turns them into a call of the cmdlet
/// by named parameters only. Leading options that are one of the cmdlet's parameters spelled in full are ours;
/// <c>--</c> ends them; the first other word is the program and every word after it is the program's, verbatim,
/// even when it looks like one of our parameters. Parameters splatted from a hashtable are ours wherever the
/// splat stands (PowerShell moves them to the end of a call; they come from code, never from command text).
/// </summary>
/// <remarks>
/// Public only so the module's front-door function can call it. What PowerShell puts in <c>$args</c>: a parameter
/// token as a string with a hidden <c>&lt;CommandParameterName&gt;</c> note (so <c>-r</c> and a quoted <c>'-r'</c>
/// differ); the first <c>--</c> of a call removed; unquoted <c>a,b</c> as a list; <c>-x:y</c> as two entries;
/// hashtable splats as <c>-Name:</c>, value pairs at the end. Where the call's own text is known
/// (<c>$MyInvocation.Statement</c>), it is parsed to put back what a native program would have received.
/// </remarks>
public static class SandboxedCommandFrontDoor
{
    private const string CommandName = "Invoke-SandboxedCommand";
    private const string ParameterNameNote = "<CommandParameterName>";

    // The cmdlet appends to a local list that the front door also puts in the caller's variable.
    private static readonly string[] s_variableParameters = ["ErrorVariable", "WarningVariable", "InformationVariable", "OutVariable"];
    private static readonly string[] s_commandParameters = ["FilePath", "ArgumentList", "Command", "ScriptBlock"];

    [ThreadStatic] private static (string Text, CommandAst? Command)? t_lastParse;

    // The cmdlet's parameters, common ones included: the same for every call, and computing them took a third of the
    // front door's time. Only read after this.
    private static readonly Lazy<Dictionary<string, ParameterMetadata>> s_parameters = new(() =>
        new(new CmdletInfo(CommandName, typeof(InvokeSandboxedCommandCommand)).Parameters, StringComparer.OrdinalIgnoreCase));

    /// <summary>The names of the variables splatted in the call (<c>@name</c>), for <see cref="Prepare"/>'s <c>splatted</c>.</summary>
    public static string[] SplattedVariables(string? statement) =>
        statement is not null && statement.Contains('@', StringComparison.Ordinal) && ParseCommand(statement) is { } command
            ? command.CommandElements.Skip(1).Where(IsSplat).Select(e => SplatName(e)!).Distinct(StringComparer.OrdinalIgnoreCase).ToArray()
            : [];

    /// <summary>
    /// Reads one call. <paramref name="statement"/> is the call's own text (<c>$MyInvocation.Statement</c>) or null;
    /// <paramref name="splatted"/> holds the value of each of <see cref="SplattedVariables"/> (null when unset).
    /// </summary>
    public static SandboxedCommandCall Prepare(object?[]? arguments, string? statement, bool expectingInput, IDictionary? splatted)
    {
        var cmdlet = new CmdletInfo(CommandName, typeof(InvokeSandboxedCommandCommand));
        try
        {
            return new Reader(arguments ?? [], statement, splatted, cmdlet).Read(expectingInput);
        }
        catch (FrontDoorException e)
        {
            return new SandboxedCommandCall(cmdlet, new Hashtable(), [], null, [], e.Record);
        }
    }

    private sealed class FrontDoorException(ErrorRecord record) : Exception(record.Exception.Message)
    {
        public ErrorRecord Record { get; } = record;
    }

    // The refusals' ids are the front-door kinds of the error catalogue; each refusal also names its own fix.
    private static FrontDoorException Refuse(ErrorKind kind, object? target, string message, string remedy) =>
        new(Errors.Record(new ArgumentException(message), kind, target, remedy));

    private sealed class Reader(object?[] args, string? statement, IDictionary? splatted, CmdletInfo cmdlet)
    {
        private readonly Dictionary<string, ParameterMetadata> _parameters = s_parameters.Value;
        private readonly Hashtable _bound = new(StringComparer.OrdinalIgnoreCase);
        private StatementMap? _map;
        private bool _mapRead;

        /// <summary>What the call's text says about <c>$args</c>; null when there is no text or it is not one command.</summary>
        private StatementMap? Map
        {
            get
            {
                if (!_mapRead)
                {
                    _map = statement is not null && ParseCommand(statement) is { } command ? StatementMap.Read(command, args, splatted) : null;
                    _mapRead = true;
                }
                return _map;
            }
        }

        public SandboxedCommandCall Read(bool expectingInput)
        {
            // Only the call's text can say where PowerShell removed a "--", where hashtable splats begin, and what --% was.
            bool hasSplat = statement is not null && statement.Contains('@', StringComparison.Ordinal) && Map is { HasSplat: true };
            bool hasDashDash = statement is not null && statement.Contains("--", StringComparison.Ordinal) && Map is { HasDashDash: true };
            bool hasStopParsing = statement is not null && statement.Contains("--%", StringComparison.Ordinal) && Map is { HasStopParsing: true };
            if ((hasSplat || hasDashDash || hasStopParsing) && !Map!.Valid)
            {
                throw Refuse(Errors.CallNotMatched, statement, "Invoke-SandboxedCommand could not match the words of this call to the values PowerShell passed, so it cannot tell where its parameters end.",
                    "Call it with -FilePath <program> -ArgumentList <arguments> (and parameters by name), or without splatting.");
            }
            if (hasStopParsing)
            {
                throw Refuse(Errors.StopParsingNotSupported, "--%", "The stop-parsing token '--%' cannot be passed through Invoke-SandboxedCommand.",
                    "Quote the arguments instead, or run the line with -Command '<shell line>'.");
            }
            int end = hasSplat ? Map!.NamedSplatStart : args.Length;
            int dashDash = hasDashDash ? Map!.DashDash : -1;

            int i = 0;
            while (i < end && i != dashDash)
            {
                if (ParameterToken(args[i]) is { } token)
                {
                    i = ReadOption(token, i, end, dashDash, beforeProgram: true);
                    continue;
                }
                // A literal "--" (quoted, from an array splat, or a second one) ends our options too.
                if (args[i] is string or PSObject && Text(args[i]) == "--") i++;
                break;
            }

            // Hashtable splats: named parameters from code, ours wherever the splat stood.
            for (int k = end; k < args.Length;)
            {
                k = ReadOption(ParameterToken(args[k])!.Value, k, args.Length, -1, beforeProgram: false);
            }

            string? program = null;
            var programArgs = new List<string>();
            var warnings = new List<string>();
            if (i < end)
            {
                if (IsList(args[i])) throw Refuse(Errors.ListArgument, Text(args[i]), $"The program to run must be one word, but PowerShell made a list of '{Text(args[i])}'.",
                    "Quote the program name, or give it with -FilePath.");
                program = Text(args[i]);
                ReadProgramArguments(i + 1, end, dashDash, program, programArgs, warnings);
                foreach (var name in s_commandParameters)
                {
                    if (!_bound.ContainsKey(name)) continue;
                    throw Refuse(Errors.ConflictingCommand, program,
                        $"Invoke-SandboxedCommand got both -{_parameters[name].Name} and the program '{program}'; give one command only.",
                        $"Either write the program first with its arguments (Invoke-SandboxedCommand {program} ...), or use -FilePath <program> -ArgumentList <arguments>, -Command or -ScriptBlock without a program.");
                }
                _bound["FilePath"] = program;
                if (programArgs.Count > 0) _bound["ArgumentList"] = programArgs.ToArray();
            }
            else if (!expectingInput && !_bound.ContainsKey("FilePath") && !_bound.ContainsKey("Command") && !_bound.ContainsKey("ScriptBlock"))
            {
                throw Refuse(Errors.NoCommand, null, "Invoke-SandboxedCommand needs a command to run.",
                    "Write the program and its arguments after the parameters (Invoke-SandboxedCommand -SandboxMode ReadOnly ls -la), or give -Command '<shell line>' or -ScriptBlock { ... }.");
            }
            return Finish(warnings);
        }

        private SandboxedCommandCall Finish(List<string> warnings)
        {
            var redirects = new List<VariableRedirect>();
            foreach (var name in s_variableParameters)
            {
                if (_bound[name] is not { } value) continue;
                var text = Text(value);
                var append = text.StartsWith('+');
                var target = append ? text[1..] : text;
                // A scope-qualified name (global:x) already says where it goes; the cmdlet writes it as it is.
                if (target.Length == 0 || target.Contains(':', StringComparison.Ordinal)) continue;
                var local = "__cxsb" + name;
                redirects.Add(new VariableRedirect(name, target, append, local));
                _bound[name] = "+" + local;
            }
            string? pipelineVariable = null;
            if (_bound["PipelineVariable"] is { } pv && Text(pv) is { Length: > 0 } pvName && !pvName.Contains(':', StringComparison.Ordinal))
            {
                pipelineVariable = pvName;
                _bound.Remove("PipelineVariable");
            }
            return new SandboxedCommandCall(cmdlet, _bound, redirects, pipelineVariable, warnings, null);
        }

        /// <summary>Reads one of our options at <paramref name="i"/>; returns the index after it and its value.</summary>
        private int ReadOption((string Name, string Text) token, int i, int end, int dashDash, bool beforeProgram)
        {
            var spelled = "-" + token.Name;
            if (!_parameters.TryGetValue(token.Name, out var parameter)) throw NotOurs(token.Name, spelled, beforeProgram);
            if (_bound.ContainsKey(parameter.Name))
            {
                throw Refuse(Errors.DuplicateParameter, spelled, $"-{parameter.Name} is given twice.", $"Give -{parameter.Name} once, before the program.");
            }
            if (token.Text.EndsWith(':'))
            {
                // -Name:value (typed, or from a hashtable splat): PowerShell always puts the value right after the name.
                _bound[parameter.Name] = i + 1 < args.Length ? args[i + 1] : null;
                return i + 2;
            }
            if (parameter.SwitchParameter)
            {
                _bound[parameter.Name] = SwitchParameter.Present;
                return i + 1;
            }
            if (i + 1 >= end || i + 1 == dashDash || ParameterToken(args[i + 1]) is not null)
            {
                var next = i + 1 < end && i + 1 != dashDash ? $" (it is followed by '{Text(args[i + 1])}')" : "";
                throw Refuse(Errors.MissingParameterValue, spelled, $"-{parameter.Name} needs a value{next}.",
                    $"Write -{parameter.Name} <value> before the program; quote a value that starts with '-'.");
            }
            _bound[parameter.Name] = args[i + 1];
            return i + 2;
        }

        private FrontDoorException NotOurs(string name, string spelled, bool beforeProgram)
        {
            var matches = _parameters.Values
                .Where(p => p.Name.StartsWith(name, StringComparison.OrdinalIgnoreCase) || p.Aliases.Any(a => a.Equals(name, StringComparison.OrdinalIgnoreCase)))
                .Select(p => "-" + p.Name)
                .Distinct()
                .OrderBy(n => n, StringComparer.OrdinalIgnoreCase)
                .ToList();
            var where = beforeProgram ? "comes before the program, where only Invoke-SandboxedCommand's own parameters go, spelled in full" : "is splatted from a hashtable, but Invoke-SandboxedCommand takes only its own parameters, spelled in full";
            var forProgram = beforeProgram
                ? $" A flag meant for the program goes after it (Invoke-SandboxedCommand <program> {spelled}); a program whose name starts with '-' goes after '--'."
                : "";
            if (matches.Count > 0)
            {
                var full = matches.Count == 1 ? matches[0] : string.Join(", ", matches.Take(matches.Count - 1)) + " or " + matches[^1];
                return Refuse(Errors.ParameterNotSpelledInFull, spelled, $"'{spelled}' {where}: write {full}.", $"Spell the parameter in full ({full}).{forProgram}");
            }
            return Refuse(Errors.NotAParameter, spelled, $"'{spelled}' {where}, and it is not one of them.",
                beforeProgram ? $"Put the program first.{forProgram}" : "Remove it from the hashtable, or pass it to the program as an argument after the program.");
        }

        private void ReadProgramArguments(int start, int end, int dashDash, string program, List<string> output, List<string> warnings)
        {
            for (int k = start; k < end; k++)
            {
                if (k == dashDash) output.Add("--");
                var arg = args[k];
                if (ParameterToken(arg) is { } token)
                {
                    if (_parameters.TryGetValue(token.Name, out var ours))
                    {
                        warnings.Add($"'-{ours.Name}' comes after the program '{program}', so it was passed to '{program}' as its argument, not to Invoke-SandboxedCommand. "
                            + $"Put Invoke-SandboxedCommand's parameters before the program; to pass it to '{program}' without this warning, write '--' before the program.");
                    }
                    // -x:y arrives as "-x:" and y: a native program gets one word, or two when the call had a space after the colon.
                    if (token.Text.EndsWith(':') && k + 1 < end && Map?.SpaceAfterColon(k) != true)
                    {
                        output.Add(token.Text + ColonValueText(args[k + 1], k + 1));
                        k++;
                        continue;
                    }
                    output.Add(token.Text);
                    continue;
                }
                if (IsList(arg))
                {
                    switch (Map?.ListKind(k) ?? ListOrigin.Unknown)
                    {
                        case ListOrigin.Literal:
                            // Unquoted a,b: a native program gets the one word "a,b".
                            output.Add(string.Join(',', Items(arg).Select(Text)));
                            break;
                        case ListOrigin.Value:
                            // A variable or expression holding several values: one argument each, as for a native program.
                            output.AddRange(Items(arg).Select(Text));
                            break;
                        default:
                            throw UnknownList(arg);
                    }
                    continue;
                }
                output.Add(Text(arg));
            }
            if (dashDash == end && dashDash >= start) output.Add("--");
        }

        /// <summary>The value of -x:value after the program: one word; a typed list a,b stays "a,b" as for a native program.</summary>
        private string ColonValueText(object? value, int index)
        {
            if (!IsList(value)) return Text(value);
            if (Map?.ListKind(index) == ListOrigin.Literal) return string.Join(',', Items(value).Select(Text));
            throw UnknownList(value);
        }

        private static FrontDoorException UnknownList(object? value) => Refuse(Errors.ListArgument, Text(value),
            $"An argument is a list ({Text(value)}), and PowerShell does not say whether it was typed as one word with commas or holds separate arguments.",
            "Quote it to pass one word ('a,b'), or give the program with -FilePath <program> -ArgumentList <arguments> to pass the values as separate arguments.");
    }

    /// <summary>The parameter name and text of a word PowerShell passed as a parameter token (-name or -name:), or null.</summary>
    private static (string Name, string Text)? ParameterToken(object? arg) =>
        arg is PSObject { BaseObject: string text } pso && pso.Properties[ParameterNameNote]?.Value is string name ? (name, text) : null;

    private static IEnumerable<object?> Items(object? list) => ((IEnumerable)PSObject.AsPSObject(list!).BaseObject).Cast<object?>();

    private static bool IsList(object? arg) => arg is not null && PSObject.AsPSObject(arg).BaseObject is IList;

    /// <summary>An argument as PowerShell gives it to a native program: numbers keep the text they were typed as (0x10, 1.10).</summary>
    private static string Text(object? arg) => arg is null ? "" : LanguagePrimitives.ConvertTo<string>(arg) ?? "";

    private static CommandAst? ParseCommand(string statement)
    {
        if (t_lastParse is { } last && last.Text == statement) return last.Command;
        var ast = Parser.ParseInput(statement, out _, out var errors);
        var command = errors.Length == 0 && ast.ParamBlock is null && ast.BeginBlock is null && ast.ProcessBlock is null
            && ast.EndBlock is { Statements: [PipelineAst { PipelineElements: [CommandAst c] }] } ? c : null;
        t_lastParse = (statement, command);
        return command;
    }

    private static bool IsSplat(Ast element) => element is VariableExpressionAst { Splatted: true };

    private static string? SplatName(Ast element) => element is VariableExpressionAst { Splatted: true } v ? v.VariablePath.UserPath : null;

    private enum ListOrigin { Unknown, Literal, Value }

    /// <summary>
    /// What the call's text says about each entry of <c>$args</c>: where the removed "--" stood, which lists were typed
    /// (a,b) and which are values, which -x: had a space after the colon, and where the hashtable splats begin.
    /// </summary>
    private sealed class StatementMap
    {
        private readonly Dictionary<int, Ast> _elements = [];
        private readonly HashSet<int> _spaceAfterColon = [];

        /// <summary>False when the text does not account for the entries of <c>$args</c>; then nothing else here is used.</summary>
        public bool Valid { get; private set; }
        public bool HasSplat { get; private set; }
        public bool HasDashDash { get; private set; }
        public bool HasStopParsing { get; private set; }
        public int DashDash { get; private set; } = -1;
        public int NamedSplatStart { get; private set; }

        public static StatementMap Read(CommandAst command, object?[] args, IDictionary? splatted)
        {
            var map = new StatementMap();
            var elements = command.CommandElements.Skip(1).ToList();
            // PowerShell parses only the first "--" of a call as the end-of-parameters token, and removes it.
            var dashDash = elements.OfType<CommandParameterAst>().FirstOrDefault(p => p.ParameterName == "-" && p.Argument is null && p.Extent.Text == "--");
            map.HasDashDash = dashDash is not null;
            map.HasSplat = elements.Any(IsSplat);
            map.HasStopParsing = elements.Any(e => e is StringConstantExpressionAst { StringConstantType: StringConstantType.BareWord } && e.Extent.Text == "--%");

            int index = 0;
            var named = new List<IDictionary>();
            foreach (var element in elements)
            {
                switch (element)
                {
                    case CommandParameterAst p when ReferenceEquals(p, dashDash):
                        map.DashDash = index;
                        break;
                    case CommandParameterAst p:
                        if (p.Argument is not null)
                        {
                            if (p.Argument.Extent.StartOffset > p.Extent.StartOffset + p.ParameterName.Length + 2) map._spaceAfterColon.Add(index);
                            map._elements[index + 1] = p.Argument;
                            index += 2;
                        }
                        else index++;
                        break;
                    case VariableExpressionAst { Splatted: true } splat:
                        // As PowerShell splats: a dictionary gives named parameters (moved to the end of the call),
                        // anything enumerable (a string too) one entry per item, anything else one entry.
                        object? value = null;
                        if (splatted is null || !splatted.Contains(splat.VariablePath.UserPath)) return map;
                        value = splatted[splat.VariablePath.UserPath];
                        value = value is PSObject pso ? pso.BaseObject : value;
                        if (value is IDictionary dictionary) named.Add(dictionary);
                        else if (value is IEnumerable items)
                        {
                            foreach (var _ in items) map._elements[index++] = splat;
                        }
                        else map._elements[index++] = splat;
                        break;
                    default:
                        map._elements[index++] = element;
                        break;
                }
            }
            map.NamedSplatStart = index;
            foreach (var dictionary in named)
            {
                foreach (DictionaryEntry entry in dictionary)
                {
                    // Each entry arrives as "-Key:" and its value; check that it is so.
                    if (index + 1 >= args.Length || ParameterToken(args[index]) is not { } token
                        || !token.Name.Equals(entry.Key?.ToString(), StringComparison.OrdinalIgnoreCase) || !token.Text.EndsWith(':'))
                    {
                        return map;
                    }
                    index += 2;
                }
            }
            map.Valid = index == args.Length;
            return map;
        }

        public bool SpaceAfterColon(int index) => Valid && _spaceAfterColon.Contains(index);

        public ListOrigin ListKind(int index) => Valid && _elements.TryGetValue(index, out var e)
            ? e is ArrayLiteralAst ? ListOrigin.Literal : ListOrigin.Value
            : ListOrigin.Unknown;
    }
}

/// <summary>One call of the cmdlet, as the front door read it.</summary>
public sealed class SandboxedCommandCall(
    CmdletInfo command, Hashtable parameters, IReadOnlyList<VariableRedirect> variables, string? pipelineVariable, IReadOnlyList<string> warnings, ErrorRecord? error)
{
    /// <summary>The cmdlet itself (not the function in front of it).</summary>
    public CmdletInfo Command { get; } = command;

    /// <summary>The named parameters for the cmdlet, to splat.</summary>
    public Hashtable Parameters { get; } = parameters;

    /// <summary>-ErrorVariable and the like: the cmdlet appends to a local list the front door also puts in the caller's variable.</summary>
    public IReadOnlyList<VariableRedirect> Variables { get; } = variables;

    /// <summary>-PipelineVariable: the caller's variable the front door sets to each result.</summary>
    public string? PipelineVariable { get; } = pipelineVariable;

    /// <summary>Our parameter names found after the program (they went to the program).</summary>
    public IReadOnlyList<string> Warnings { get; } = warnings;

    /// <summary>Why the call is refused; nothing runs.</summary>
    public ErrorRecord? Error { get; } = error;
}

/// <summary>A variable parameter (-ErrorVariable etc.) the front door redirects: the cmdlet appends to <see cref="LocalName"/>, the same list as the caller's <see cref="Name"/>.</summary>
public sealed record VariableRedirect(string Parameter, string Name, bool Append, string LocalName);
