namespace CodexSandbox.LauncherContract;

/// <summary>Why the launcher refused to run the command: the value of <see cref="StatusKey.Error"/> (spelled as the
/// member name). The engine maps it to an exception or a result; it never reads the launcher's stderr for this.</summary>
internal enum LaunchErrorKind
{
    /// <summary>Bad or contradictory arguments.</summary>
    Usage,
    /// <summary>The program is not in PATH, or the path does not exist (exit 127).</summary>
    ProgramNotFound,
    /// <summary>The program exists but cannot be executed (exit 126).</summary>
    CannotExecute,
    /// <summary><see cref="LauncherOption.ChangeDirectory"/> failed.</summary>
    WorkingDirectory,
    /// <summary>The kernel lacks the Landlock (or the Landlock ABI) an option needs.</summary>
    LandlockUnavailable,
    /// <summary>Not x86_64 or aarch64: there is no syscall table for the seccomp filter.</summary>
    UnsupportedArchitecture,
    /// <summary>Preparing a restriction failed before any was applied: a path, a Landlock rule, the relay.</summary>
    SetupFailed,
    /// <summary>Applying a restriction failed (setrlimit, prctl, capset, landlock_restrict_self, seccomp): nothing ran.</summary>
    RestrictionFailed,
    /// <summary>The caller exited before the parent-death signal was armed.</summary>
    ParentExited,
}
