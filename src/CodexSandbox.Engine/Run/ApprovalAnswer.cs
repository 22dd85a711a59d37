namespace CodexSandbox.Engine.Run;

/// <summary>What the user answered to a question of <see cref="IRunHost.Ask"/>.</summary>
public enum ApprovalAnswer
{
    Yes,
    No,
    /// <summary>Yes, and remember it: the same command is approved for the rest of the session.</summary>
    YesToAll,
    /// <summary>No, and answer no to the questions that follow in the same call.</summary>
    NoToAll,
    /// <summary>Nobody can be asked (no UI, <c>-NonInteractive</c>, stdin at its end): treated as a refusal.</summary>
    CannotPrompt,
}
