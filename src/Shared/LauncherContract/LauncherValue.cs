namespace CodexSandbox.LauncherContract;

/// <summary>How the option values are spelled on the command line, and in the status record. The only place
/// these words are written: the engine spells with <see cref="Spell(LauncherNetworkMode)"/>, the launcher
/// parses by comparing against the same spellings.</summary>
internal static class LauncherValue
{
    public static readonly LauncherSandboxMode[] SandboxModes = [LauncherSandboxMode.ReadOnly, LauncherSandboxMode.WorkspaceWrite];
    public static readonly LauncherNetworkMode[] NetworkModes = [LauncherNetworkMode.Off, LauncherNetworkMode.Allowlist, LauncherNetworkMode.On];

    public static string Spell(LauncherSandboxMode mode) => mode switch
    {
        LauncherSandboxMode.ReadOnly => "read-only",
        LauncherSandboxMode.WorkspaceWrite => "workspace-write",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    /// <summary>The <see cref="StatusKey.Error"/> value: the member name (no Enum.ToString, which allocates).</summary>
    public static string Spell(LaunchErrorKind kind) => kind switch
    {
        LaunchErrorKind.Usage => nameof(LaunchErrorKind.Usage),
        LaunchErrorKind.ProgramNotFound => nameof(LaunchErrorKind.ProgramNotFound),
        LaunchErrorKind.CannotExecute => nameof(LaunchErrorKind.CannotExecute),
        LaunchErrorKind.WorkingDirectory => nameof(LaunchErrorKind.WorkingDirectory),
        LaunchErrorKind.LandlockUnavailable => nameof(LaunchErrorKind.LandlockUnavailable),
        LaunchErrorKind.UnsupportedArchitecture => nameof(LaunchErrorKind.UnsupportedArchitecture),
        LaunchErrorKind.SetupFailed => nameof(LaunchErrorKind.SetupFailed),
        LaunchErrorKind.RestrictionFailed => nameof(LaunchErrorKind.RestrictionFailed),
        LaunchErrorKind.ParentExited => nameof(LaunchErrorKind.ParentExited),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static string Spell(LauncherNetworkMode mode) => mode switch
    {
        LauncherNetworkMode.Off => "off",
        LauncherNetworkMode.Allowlist => "allowlist",
        LauncherNetworkMode.On => "on",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };
}
