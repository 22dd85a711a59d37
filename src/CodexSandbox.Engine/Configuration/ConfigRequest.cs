namespace CodexSandbox.Engine.Configuration;

/// <summary>Where to look for config: the working directory, and the folders of the system and user layers.</summary>
public sealed record ConfigRequest
{
    public required string WorkingDirectory { get; init; }
    /// <summary><c>$CODEX_HOME</c>, default <c>~/.codex</c>.</summary>
    public required string CodexHome { get; init; }
    /// <summary>A file used instead of <c>$CODEX_HOME/config.toml</c> (<c>-ConfigPath</c>).</summary>
    public string? ConfigPath { get; init; }
    /// <summary>
    /// <c>-Profile</c>: selects <c>$CODEX_HOME/&lt;name&gt;.config.toml</c> as a second user layer (Codex's <c>--profile</c>),
    /// and the legacy <c>[profiles.&lt;name&gt;]</c> table.
    /// </summary>
    public string? Profile { get; init; }
    /// <summary>
    /// The system folder: <c>/etc/codex</c> (<c>%ProgramData%\OpenAI\Codex</c> on Windows). It holds the system layer's
    /// <c>config.toml</c> and the administrator's <c>requirements.toml</c>.
    /// </summary>
    public string SystemDirectory { get; init; } = DefaultSystemDirectory;

    /// <summary>Codex's system folder on this platform.</summary>
    public static string DefaultSystemDirectory { get; } = OperatingSystem.IsWindows()
        ? Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.CommonApplicationData), "OpenAI", "Codex")
        : "/etc/codex";
    public required string Home { get; init; }

    /// <summary>Defaults from the process environment: CODEX_HOME, HOME, and CODEXSANDBOX_SYSTEM_CONFIG_DIR (for tests and relocated installs).</summary>
    public static ConfigRequest FromEnvironment(string workingDirectory, string? configPath = null, string? profile = null)
    {
        var home = System.Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } h ? h : System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
        var codexHome = System.Environment.GetEnvironmentVariable("CODEX_HOME") is { Length: > 0 } c ? c : Path.Combine(home, ".codex");
        var system = System.Environment.GetEnvironmentVariable("CODEXSANDBOX_SYSTEM_CONFIG_DIR") is { Length: > 0 } s ? s : DefaultSystemDirectory;
        return new ConfigRequest
        {
            WorkingDirectory = workingDirectory,
            CodexHome = PathUtil.Normalize(PathUtil.ExpandHome(codexHome, home)),
            ConfigPath = configPath,
            Profile = profile,
            SystemDirectory = system,
            Home = home,
        };
    }
}
