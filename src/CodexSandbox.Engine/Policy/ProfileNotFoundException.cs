namespace CodexSandbox.Engine.Policy;

/// <summary>The selected profile has neither a profile file nor a <c>[profiles.&lt;name&gt;]</c> table.</summary>
/// <remarks>Codex counts a missing profile file as empty; we refuse, so a mistyped <c>-Profile</c> does not run a command
/// under the base policy the user meant to narrow.</remarks>
public sealed class ProfileNotFoundException(string profile, IReadOnlyList<string> known, string source, string? file = null)
    : Exception($"The profile '{profile}' ({source}) is not defined: " +
                (file is null ? "" : $"{file} does not exist, and ") +
                "no [profiles.<name>] table in the config in effect has that name. " +
                (known.Count == 0 ? "No profiles are defined." : $"Defined profiles: {string.Join(", ", known)}."))
{
    public string Profile { get; } = profile;
}
