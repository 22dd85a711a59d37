namespace CodexSandbox.Engine.Policy;

/// <summary>The selected profile is not defined in any config layer.</summary>
public sealed class ProfileNotFoundException(string profile, IReadOnlyList<string> known, string source)
    : Exception($"The profile '{profile}' ({source}) is not defined by any [profiles.<name>] table in the config in effect. " +
                (known.Count == 0 ? "No profiles are defined." : $"Defined profiles: {string.Join(", ", known)}."))
{
    public string Profile { get; } = profile;
}
