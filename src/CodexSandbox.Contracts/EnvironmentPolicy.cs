namespace CodexSandbox;

/// <summary>The <c>[shell_environment_policy]</c> table as it took effect.</summary>
public sealed class EnvironmentPolicy
{
    public EnvironmentInherit Inherit { get; init; } = EnvironmentInherit.All;
    /// <summary>False (our default) removes variables named like secrets: *KEY*, *SECRET*, *TOKEN*, *PASSWORD*, *CREDENTIAL*.</summary>
    public bool IgnoreDefaultExcludes { get; init; }
    public IReadOnlyList<string> Exclude { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
    public IReadOnlyDictionary<string, string> Set { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> IncludeOnly { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;

    public override string ToString()
    {
        var text = $"inherit {Inherit.ToString().ToLowerInvariant()}";
        text += IgnoreDefaultExcludes ? ", secrets kept" : ", secrets removed";
        if (Exclude.Count > 0) text += $", exclude {string.Join(" ", Exclude)}";
        if (Set.Count > 0) text += $", set {string.Join(" ", Set.Keys)}";
        if (IncludeOnly.Count > 0) text += $", include only {string.Join(" ", IncludeOnly)}";
        return text;
    }
}
