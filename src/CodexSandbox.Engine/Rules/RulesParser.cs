using CodexSandbox.Engine.Analysis;

namespace CodexSandbox.Engine.Rules;

/// <summary>
/// Reads and evaluates the Starlark subset of <c>.rules</c> files (execpolicy.md §1): top-level calls of
/// <c>prefix_rule</c>, <c>host_executable</c> and <c>network_rule</c> with positional or keyword arguments, simple
/// <c>name = value</c> assignments, lists (with trailing commas), strings, integers, booleans, <c>None</c> and <c>+</c>.
/// </summary>
internal sealed class RulesParser
{
    private sealed class NoneValue
    {
        public static readonly NoneValue Instance = new();
    }

    private readonly string _path;
    private readonly List<RulesToken> _tokens;
    private readonly Dictionary<string, object> _globals = new(StringComparer.Ordinal);
    private readonly RuleSetBuilder _builder;
    private int _pos;

    private RulesParser(string path, string text, RuleSetBuilder builder)
    {
        _path = path;
        _tokens = RulesLexer.Lex(path, text);
        _builder = builder;
    }

    /// <summary>Parses one file into <paramref name="builder"/>; throws <see cref="RulesParseException"/> on the first problem.</summary>
    public static void Parse(string path, string text, RuleSetBuilder builder) => new RulesParser(path, text, builder).Run();

    private RulesToken Peek => _tokens[_pos];

    private RulesToken Next() => _tokens[_pos++];

    private RulesToken Expect(RulesTokenKind kind, string what)
    {
        var t = Peek;
        if (t.Kind != kind) throw Syntax(t, $"expected {what}, found {Describe(t)}");
        _pos++;
        return t;
    }

    private RulesParseException Syntax(RulesToken at, string message) => new(_path, at.Line, at.Column, "SyntaxError", message);

    private RulesParseException Invalid(RulesToken at, string message) => new(_path, at.Line, at.Column, "InvalidRule", message);

    private static string Describe(RulesToken t) => t.Kind switch
    {
        RulesTokenKind.End => "end of file",
        RulesTokenKind.String => "a string",
        _ => $"'{t.Text}'",
    };

    private void Run()
    {
        while (Peek.Kind != RulesTokenKind.End)
        {
            if (Peek.Kind == RulesTokenKind.Semicolon) { _pos++; continue; }
            var name = Expect(RulesTokenKind.Identifier, "a rule call such as prefix_rule(...)");
            if (Peek.Kind == RulesTokenKind.Equals)
            {
                _pos++;
                _globals[name.Text] = ParseExpression();
                continue;
            }
            if (Peek.Kind != RulesTokenKind.LParen) throw Syntax(Peek, $"expected '(' or '=' after '{name.Text}', found {Describe(Peek)}");
            Call(name);
        }
    }

    private void Call(RulesToken name)
    {
        Expect(RulesTokenKind.LParen, "'('");
        var positional = new List<object>();
        var keywords = new Dictionary<string, object>(StringComparer.Ordinal);
        while (Peek.Kind != RulesTokenKind.RParen)
        {
            if (Peek.Kind == RulesTokenKind.Identifier && _tokens[_pos + 1].Kind == RulesTokenKind.Equals)
            {
                var key = Next();
                _pos++;
                if (!keywords.TryAdd(key.Text, ParseExpression())) throw Syntax(key, $"argument '{key.Text}' given more than once");
            }
            else
            {
                if (keywords.Count > 0) throw Syntax(Peek, "positional argument follows keyword argument");
                positional.Add(ParseExpression());
            }
            if (Peek.Kind == RulesTokenKind.Comma) { _pos++; continue; }
            if (Peek.Kind != RulesTokenKind.RParen) throw Syntax(Peek, $"expected ',' or ')', found {Describe(Peek)}");
        }
        _pos++;
        switch (name.Text)
        {
            case "prefix_rule":
                PrefixRuleCall(name, Bind(name, positional, keywords, ["pattern", "decision", "match", "not_match", "justification"], 1));
                break;
            case "host_executable":
                HostExecutableCall(name, Bind(name, positional, keywords, ["name", "paths"], 2));
                break;
            case "network_rule":
                NetworkRuleCall(name, Bind(name, positional, keywords, ["host", "protocol", "decision", "justification"], 3));
                break;
            default:
                throw Invalid(name, $"unknown function '{name.Text}' (rules files may call prefix_rule, host_executable and network_rule)");
        }
    }

    private object?[] Bind(RulesToken call, List<object> positional, Dictionary<string, object> keywords, string[] parameters, int required)
    {
        if (positional.Count > parameters.Length) throw Invalid(call, $"{call.Text}() takes at most {parameters.Length} arguments");
        var values = new object?[parameters.Length];
        for (int i = 0; i < positional.Count; i++) values[i] = positional[i];
        foreach (var (key, value) in keywords)
        {
            int index = Array.IndexOf(parameters, key);
            if (index < 0) throw Invalid(call, $"{call.Text}() got an unexpected keyword argument '{key}'");
            if (values[index] is not null) throw Invalid(call, $"{call.Text}() got multiple values for '{key}'");
            values[index] = value;
        }
        for (int i = 0; i < parameters.Length; i++)
        {
            if (values[i] is NoneValue) values[i] = null;
            if (i < required && values[i] is null) throw Invalid(call, $"{call.Text}() missing required argument '{parameters[i]}'");
        }
        return values;
    }

    private object ParseExpression()
    {
        var left = ParsePrimary();
        while (Peek.Kind == RulesTokenKind.Plus)
        {
            var plus = Next();
            var right = ParsePrimary();
            left = (left, right) switch
            {
                (string a, string b) => (object)(a + b),
                (List<object> a, List<object> b) => (object)new List<object>(a.Concat(b)),
                (long a, long b) => a + b,
                _ => throw Invalid(plus, $"unsupported operand types for +: {TypeName(left)} and {TypeName(right)}"),
            };
        }
        return left;
    }

    private object ParsePrimary()
    {
        var t = Next();
        switch (t.Kind)
        {
            case RulesTokenKind.String:
                var s = t.Text;
                // adjacent string literals are not Starlark; report them rather than guess
                if (Peek.Kind == RulesTokenKind.String) throw Syntax(Peek, "expected ',' between strings");
                return s;
            case RulesTokenKind.Integer:
                return t.Number;
            case RulesTokenKind.LBracket:
                var list = new List<object>();
                while (Peek.Kind != RulesTokenKind.RBracket)
                {
                    list.Add(ParseExpression());
                    if (Peek.Kind == RulesTokenKind.Comma) { _pos++; continue; }
                    if (Peek.Kind != RulesTokenKind.RBracket) throw Syntax(Peek, $"expected ',' or ']', found {Describe(Peek)}");
                }
                _pos++;
                return list;
            case RulesTokenKind.LParen:
                var inner = ParseExpression();
                Expect(RulesTokenKind.RParen, "')'");
                return inner;
            case RulesTokenKind.Identifier:
                switch (t.Text)
                {
                    case "True": return true;
                    case "False": return false;
                    case "None": return NoneValue.Instance;
                }
                if (Peek.Kind == RulesTokenKind.LParen) throw Invalid(t, $"function calls are not allowed inside expressions ('{t.Text}')");
                if (_globals.TryGetValue(t.Text, out var value)) return value;
                throw Invalid(t, $"variable '{t.Text}' is not defined");
            default:
                throw Syntax(t, $"expected a value, found {Describe(t)}");
        }
    }

    private static string TypeName(object? v) => v switch
    {
        string => "string",
        long => "int",
        bool => "bool",
        List<object> => "list",
        null or NoneValue => "NoneType",
        _ => v.GetType().Name,
    };

    private void PrefixRuleCall(RulesToken call, object?[] args)
    {
        if (args[0] is not List<object> pattern) throw Invalid(call, $"pattern must be a list (got {TypeName(args[0])})");
        if (pattern.Count == 0) throw Invalid(call, "invalid pattern: pattern cannot be empty");
        var positions = new List<IReadOnlyList<string>>(pattern.Count);
        foreach (var element in pattern)
        {
            switch (element)
            {
                case string s:
                    positions.Add([s]);
                    break;
                case List<object> alternatives:
                    if (alternatives.Count == 0) throw Invalid(call, "invalid pattern: pattern alternatives cannot be empty");
                    var strings = new List<string>(alternatives.Count);
                    foreach (var a in alternatives)
                    {
                        if (a is not string alt) throw Invalid(call, $"invalid pattern: pattern alternative must be a string (got {TypeName(a)})");
                        strings.Add(alt);
                    }
                    positions.Add(strings);
                    break;
                default:
                    throw Invalid(call, $"invalid pattern: pattern element must be a string or list of strings (got {TypeName(element)})");
            }
        }
        var decision = RuleDecision.Allow;
        if (args[1] is not null)
        {
            decision = args[1] switch
            {
                "allow" => RuleDecision.Allow,
                "prompt" => RuleDecision.Prompt,
                "forbidden" => RuleDecision.Forbidden,
                _ => throw Invalid(call, $"invalid decision: {Show(args[1])} (expected \"allow\", \"prompt\" or \"forbidden\")"),
            };
        }
        string? justification = null;
        if (args[4] is not null)
        {
            if (args[4] is not string j) throw Invalid(call, $"justification must be a string (got {TypeName(args[4])})");
            if (string.IsNullOrWhiteSpace(j)) throw Invalid(call, "invalid rule: justification cannot be empty");
            justification = j;
        }
        var rest = positions.GetRange(1, positions.Count - 1);
        var rules = new List<PrefixRule>(positions[0].Count);
        foreach (var program in positions[0])
        {
            rules.Add(new PrefixRule(program, rest, decision, justification, _path, call.Line));
        }
        var notMatch = Examples(call, args[3], "not_match");
        var match = Examples(call, args[2], "match");
        // the examples are checked against this call's rules alone, with basename resolution on
        var probe = new RuleSetBuilder();
        foreach (var r in rules) probe.Add(r);
        var probeSet = probe.Build();
        foreach (var example in notMatch)
        {
            if (probeSet.Match(example).Count > 0)
            {
                throw new RulesParseException(_path, call.Line, call.Column, "ExampleFailed",
                    $"rule {rules[0].PatternText} matches not_match example `{ShellWords.Join(example)}`");
            }
        }
        foreach (var example in match)
        {
            if (probeSet.Match(example).Count == 0)
            {
                throw new RulesParseException(_path, call.Line, call.Column, "ExampleFailed",
                    $"rule {rules[0].PatternText} does not match example `{ShellWords.Join(example)}`");
            }
        }
        foreach (var r in rules) _builder.Add(r);
    }

    private List<string[]> Examples(RulesToken call, object? value, string name)
    {
        var result = new List<string[]>();
        if (value is null) return result;
        if (value is not List<object> list) throw Invalid(call, $"{name} must be a list of examples (got {TypeName(value)})");
        foreach (var item in list)
        {
            switch (item)
            {
                case string s:
                    var words = ShellWords.Split(s) ?? throw Invalid(call, $"example string has invalid shell syntax: {s}");
                    if (words.Count == 0) throw Invalid(call, "example cannot be an empty string");
                    result.Add(words.ToArray());
                    break;
                case List<object> tokens:
                    if (tokens.Count == 0) throw Invalid(call, "example cannot be an empty list");
                    var argv = new string[tokens.Count];
                    for (int i = 0; i < tokens.Count; i++)
                    {
                        argv[i] = tokens[i] as string ?? throw Invalid(call, $"example tokens must be strings (got {TypeName(tokens[i])})");
                    }
                    result.Add(argv);
                    break;
                default:
                    throw Invalid(call, $"an example must be a string or a list of strings (got {TypeName(item)})");
            }
        }
        return result;
    }

    private void HostExecutableCall(RulesToken call, object?[] args)
    {
        if (args[0] is not string name) throw Invalid(call, $"host_executable name must be a string (got {TypeName(args[0])})");
        if (name.Length == 0) throw Invalid(call, "host_executable name cannot be empty");
        if (name.IndexOfAny(['/', '\\']) >= 0) throw Invalid(call, $"host_executable name must be a bare executable name (got {name})");
        if (args[1] is not List<object> paths) throw Invalid(call, $"host_executable paths must be a list (got {TypeName(args[1])})");
        var list = new List<string>(paths.Count);
        foreach (var p in paths)
        {
            if (p is not string path) throw Invalid(call, $"host_executable paths must be strings (got {TypeName(p)})");
            if (!path.StartsWith('/')) throw Invalid(call, $"host_executable paths must be absolute (got {path})");
            if (ExecutableName.Basename(path) != name) throw Invalid(call, $"host_executable path `{path}` must have basename `{name}`");
            if (!list.Contains(path)) list.Add(path);
        }
        _builder.SetHostExecutable(name, list);
    }

    private void NetworkRuleCall(RulesToken call, object?[] args)
    {
        if (args[0] is not string rawHost) throw Invalid(call, $"network_rule host must be a string (got {TypeName(args[0])})");
        var host = NormalizeHost(call, rawHost);
        var protocol = args[1] switch
        {
            "http" => "http",
            "https" or "https_connect" or "http-connect" => "https",
            "socks5_tcp" => "socks5_tcp",
            "socks5_udp" => "socks5_udp",
            _ => throw Invalid(call, $"invalid network_rule protocol: {Show(args[1])} (expected http, https, socks5_tcp or socks5_udp)"),
        };
        var decision = args[2] switch
        {
            "allow" => RuleDecision.Allow,
            "prompt" => RuleDecision.Prompt,
            "deny" => RuleDecision.Forbidden,
            _ => throw Invalid(call, $"invalid network_rule decision: {Show(args[2])} (expected allow, prompt or deny)"),
        };
        string? justification = null;
        if (args[3] is not null)
        {
            if (args[3] is not string j) throw Invalid(call, $"justification must be a string (got {TypeName(args[3])})");
            if (string.IsNullOrWhiteSpace(j)) throw Invalid(call, "invalid rule: justification cannot be empty");
            justification = j;
        }
        _builder.AddNetworkRule(new NetworkRule(host, protocol, decision, justification, _path, call.Line));
    }

    private string NormalizeHost(RulesToken call, string raw)
    {
        var host = raw.Trim();
        if (host.Contains("://") || host.IndexOfAny(['/', '?', '#']) >= 0 || host.Any(char.IsWhiteSpace))
        {
            throw Invalid(call, $"network_rule host must be a host name, not a URL or path (got {raw})");
        }
        if (host.Contains('*')) throw Invalid(call, "network_rule host must be a specific host; wildcards are not allowed");
        if (host.StartsWith('['))
        {
            int close = host.IndexOf(']');
            if (close > 0) host = host.Substring(1, close - 1);
        }
        else
        {
            int colon = host.IndexOf(':');
            if (colon >= 0 && host.IndexOf(':', colon + 1) < 0) host = host.Substring(0, colon);
        }
        host = host.TrimEnd('.').ToLowerInvariant();
        if (host.Length == 0) throw Invalid(call, "network_rule host cannot be empty");
        return host;
    }

    private static string Show(object? v) => v is string s ? "\"" + s + "\"" : TypeName(v);
}
