namespace CodexSandbox.Engine.Rules;

/// <summary>
/// A loaded exec policy: prefix rules indexed by program, host-executable lists and network rules.
/// Matching follows execpolicy.md §2: exact first token first, then (absolute paths only) the basename, limited by
/// <c>host_executable</c> when one is defined.
/// </summary>
public sealed class RuleSet
{
    private readonly Dictionary<string, PrefixRule[]> _byProgram;

    internal RuleSet(IReadOnlyList<PrefixRule> rules, IReadOnlyDictionary<string, IReadOnlyList<string>> hosts, IReadOnlyList<NetworkRule> network)
    {
        PrefixRules = rules;
        HostExecutables = hosts;
        NetworkRules = network;
        _byProgram = rules.GroupBy(r => r.Program, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>No rules: only the heuristics decide.</summary>
    public static RuleSet Empty { get; } = new([], new Dictionary<string, IReadOnlyList<string>>(), []);

    public IReadOnlyList<PrefixRule> PrefixRules { get; }
    public IReadOnlyDictionary<string, IReadOnlyList<string>> HostExecutables { get; }
    public IReadOnlyList<NetworkRule> NetworkRules { get; }

    /// <summary>Parses one <c>.rules</c> text; throws <see cref="RulesParseException"/> (with <c>path:line</c>) on any problem.</summary>
    public static RuleSet Parse(string path, string text)
    {
        var builder = new RuleSetBuilder();
        RulesParser.Parse(path, text, builder);
        return builder.Build();
    }

    /// <summary>Every rule matching <paramref name="command"/>, with host-executable resolution on.</summary>
    public IReadOnlyList<RuleMatch> Match(IReadOnlyList<string> command)
    {
        if (command.Count == 0 || _byProgram.Count == 0) return [];
        List<RuleMatch>? result = null;
        if (_byProgram.TryGetValue(command[0], out var exact))
        {
            foreach (var rule in exact)
            {
                if (rule.Matches(command[0], command)) (result ??= []).Add(ToMatch(rule, command, null));
            }
        }
        if (result is null && command[0].StartsWith('/'))
        {
            var basename = Analysis.ExecutableName.Basename(command[0]);
            if (HostExecutables.TryGetValue(basename, out var allowed) && !allowed.Contains(command[0])) return [];
            if (_byProgram.TryGetValue(basename, out var byName))
            {
                foreach (var rule in byName)
                {
                    if (rule.Matches(basename, command)) (result ??= []).Add(ToMatch(rule, command, command[0]));
                }
            }
        }
        return result is null ? [] : result;
    }

    /// <summary>The strictest decision among <paramref name="matches"/>, or null when there are none.</summary>
    public static RuleDecision? Strictest(IReadOnlyList<RuleMatch> matches)
    {
        RuleDecision? max = null;
        foreach (var m in matches) if (max is null || m.Decision > max) max = m.Decision;
        return max;
    }

    /// <summary>Network rules folded in order: the last allow or deny per host wins; prompt rules are ignored.</summary>
    public IReadOnlyDictionary<string, RuleDecision> CompiledNetworkDomains()
    {
        var result = new Dictionary<string, RuleDecision>(StringComparer.Ordinal);
        foreach (var r in NetworkRules)
        {
            if (r.Decision != RuleDecision.Prompt) result[r.Host] = r.Decision;
        }
        return result;
    }

    private static RuleMatch ToMatch(PrefixRule rule, IReadOnlyList<string> command, string? resolved)
    {
        var prefix = new string[rule.Length];
        prefix[0] = rule.Program;
        for (int i = 1; i < prefix.Length; i++) prefix[i] = command[i];
        return new RuleMatch(rule.PatternText, prefix, rule.Decision, rule.Justification, rule.SourceFile, rule.SourceLine, resolved);
    }
}
