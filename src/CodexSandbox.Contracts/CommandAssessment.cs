namespace CodexSandbox;

/// <summary>What the analyzer and the approval policy say about one command, without running it.</summary>
public sealed class CommandAssessment
{
    /// <summary>The command as given (a shell line, a script, or the argv joined with shell quoting).</summary>
    public string Command { get; init; } = "";
    /// <summary>The commands the analysis found, each as an argv; the whole argv when the script could not be split.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Segments { get; init => field = TextList<IReadOnlyList<string>>.From(value?.Select(s => (IReadOnlyList<string>)ArgvList.From(s)).ToArray()); } = TextList<IReadOnlyList<string>>.Empty;
    public ShellKind Shell { get; init; }
    public bool IsKnownSafe => Safety == CommandSafety.KnownSafe;
    public bool IsDangerous => Safety == CommandSafety.Dangerous;
    public CommandSafety Safety { get; init; }
    /// <summary>The decision under the given sandbox mode and approval policy.</summary>
    public ApprovalDecision Decision { get; init; }
    /// <summary>True when the command (once allowed or approved) runs inside the sandbox.</summary>
    public bool RunsSandboxed { get; init; }
    /// <summary>True when a failure that looks like a sandbox denial may be retried without the sandbox.</summary>
    public bool OffersUnsandboxedRetry { get; init; }
    /// <summary>True when that retry needs its own approval prompt.</summary>
    public bool RetryNeedsApproval { get; init; }
    /// <summary>True when an exec-policy rule decided: a rule forbade or prompted, or allow rules covered every segment (which also bypasses the sandbox).</summary>
    public bool DecidedByRule { get; init; }
    public IReadOnlyList<RuleMatch> MatchedRules { get; init => field = TextList<RuleMatch>.From(value); } = TextList<RuleMatch>.Empty;
    /// <summary>Why: one sentence per finding, the deciding reason first.</summary>
    public IReadOnlyList<string> Reasons { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
    /// <summary>True when some command in it reaches the network (downloads, remote shells, VCS remotes, package installs); <see cref="Reasons"/> says whether the policy lets it through.</summary>
    public bool UsesNetwork { get; init; }
    /// <summary>True when only the heredoc fallback could parse the script (never auto-approved as safe).</summary>
    public bool UsesComplexParsing { get; init; }
    /// <summary>The key a "yes to all" approval is remembered under (Codex's canonical approval key, as a JSON array).</summary>
    public string CanonicalKey { get; init; } = "";
    public SandboxMode SandboxMode { get; init; }
    public ApprovalPolicy ApprovalPolicy { get; init; }

    public override string ToString() => $"{Safety} {Decision}: {Command}";
}
