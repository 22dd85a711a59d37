namespace CodexSandbox.Engine.Rules;

/// <summary>Collects rules from several files, in load order, into one <see cref="RuleSet"/>.</summary>
public sealed class RuleSetBuilder
{
    private readonly List<PrefixRule> _rules = [];
    private readonly Dictionary<string, IReadOnlyList<string>> _hosts = new(StringComparer.Ordinal);
    private readonly List<NetworkRule> _network = [];

    public void Add(PrefixRule rule) => _rules.Add(rule);

    /// <summary>A later definition for the same name replaces the earlier one.</summary>
    public void SetHostExecutable(string name, IReadOnlyList<string> paths) => _hosts[name] = paths;

    public void AddNetworkRule(NetworkRule rule) => _network.Add(rule);

    /// <summary>Adds everything of <paramref name="other"/> (host executables override).</summary>
    public void AddAll(RuleSet other)
    {
        _rules.AddRange(other.PrefixRules);
        foreach (var (k, v) in other.HostExecutables) _hosts[k] = v;
        _network.AddRange(other.NetworkRules);
    }

    public RuleSet Build() => new(_rules.ToArray(), new Dictionary<string, IReadOnlyList<string>>(_hosts, StringComparer.Ordinal), _network.ToArray());
}
