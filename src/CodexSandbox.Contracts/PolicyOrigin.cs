namespace CodexSandbox;

/// <summary>Where one setting of the effective policy came from.</summary>
public sealed class PolicyOrigin
{
    public PolicyOrigin(string setting, string value, PolicySource source, string? file = null, int line = 0, string? profile = null)
    {
        Setting = setting;
        Value = value;
        Source = source;
        File = file;
        Line = line;
        Profile = profile;
    }

    /// <summary>The config key, for example <c>sandbox_mode</c> or <c>sandbox_workspace_write.network_access</c>.</summary>
    public string Setting { get; }
    /// <summary>The value as it took effect.</summary>
    public string Value { get; }
    /// <summary>The kind of source.</summary>
    public PolicySource Source { get; }
    /// <summary>The file that set it, when a file did.</summary>
    public string? File { get; }
    /// <summary>The 1-based line in <see cref="File"/>, or 0.</summary>
    public int Line { get; }
    /// <summary>The profile name when <see cref="Source"/> is <see cref="PolicySource.Profile"/>.</summary>
    public string? Profile { get; }

    /// <summary>A short description such as <c>User /root/.codex/config.toml:3</c>.</summary>
    public string Location => Source switch
    {
        PolicySource.Default => "default",
        PolicySource.Parameter => "parameter",
        _ => File is null ? Source.ToString() : Line > 0 ? $"{Source} {File}:{Line}" : $"{Source} {File}",
    } + (Profile is null ? "" : $" (profile {Profile})");

    public override string ToString() => $"{Setting} = {Value} <- {Location}";
}
