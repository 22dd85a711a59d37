namespace CodexSandbox.Engine.Execution;

/// <summary>How an interactive run's child gets its terminal (<see cref="ProcessSpec.Terminal"/>).</summary>
public enum ChildTerminal
{
    /// <summary>No terminal: stdin is /dev/null, stdout and stderr are captured.</summary>
    None,

    /// <summary>
    /// Descriptors 0, 1 and 2 are a new pseudo-terminal, inherited; the child (the Linux launcher, with
    /// <c>--controlling-terminal</c>) makes it the controlling terminal of the session it creates. An inherited descriptor
    /// also reaches a command inside bubblewrap, whose /dev is its own.
    /// </summary>
    Inherited,

    /// <summary>
    /// The child starts in a new session whose controlling terminal is a new pseudo-terminal, opened as descriptor 0
    /// (and 1 and 2) after setsid: for programs started without the launcher (an approved run outside the sandbox).
    /// </summary>
    NewSession,
}
