namespace CodexSandbox.LauncherContract;

/// <summary>The launcher's own exit statuses (the shell's conventions). Any other status is the command's: the
/// launcher becomes the command, and a command killed by signal N gives 128+N. The status record says which is
/// which (<see cref="StatusKey.Outcome"/>), so the engine never has to guess from the number.</summary>
internal static class LauncherExitCode
{
    /// <summary>The launcher refused or failed before the command ran (every <see cref="LaunchErrorKind"/> but the two below).</summary>
    public const int LauncherError = 125;
    /// <summary>The program was found but cannot be executed.</summary>
    public const int CannotExecute = 126;
    /// <summary>The program was not found.</summary>
    public const int NotFound = 127;

    public static int For(LaunchErrorKind kind) => kind switch
    {
        LaunchErrorKind.ProgramNotFound => NotFound,
        LaunchErrorKind.CannotExecute => CannotExecute,
        _ => LauncherError,
    };
}
