using CodexSandbox.Engine.Approval;
using CodexSandbox.Engine.Rules;

namespace CodexSandbox.Engine.Analysis;

/// <summary>
/// The analyzer facade the cmdlets call: parse a command (POSIX line, PowerShell script or argv), classify it,
/// match exec-policy rules, and decide approval under a sandbox mode and approval policy.
/// </summary>
public static class CommandAnalyzer
{
    /// <summary>
    /// Assesses a command string. <paramref name="shell"/> null means detect (<see cref="ShellDetector"/>);
    /// <see cref="ShellKind.Argv"/> splits the string with shell quoting and assesses the argv.
    /// A POSIX line is analysed as the script of <c>/bin/sh -c</c>, exactly like a <c>bash -lc</c> wrapper's script.
    /// </summary>
    public static CommandAssessment Assess(string command, ShellKind? shell, RuleSet? rules, SandboxMode sandboxMode,
        ApprovalPolicy approvalPolicy, bool requestEscalation = false, string? justification = null, HostOs? os = null,
        NetworkMode network = NetworkMode.Off, IReadOnlyList<string>? writableRoots = null, string? workingDirectory = null,
        GranularApproval? granular = null, string? unsandboxedRefusal = null)
        => Decide(Analyze(command, shell), rules, sandboxMode, approvalPolicy, requestEscalation, justification, os,
            network, writableRoots, workingDirectory, granular, unsandboxedRefusal);

    /// <summary>Assesses an argv run directly (wrappers such as <c>bash -lc</c> and <c>pwsh -c</c> are looked into).</summary>
    public static CommandAssessment AssessArgv(IReadOnlyList<string> argv, RuleSet? rules, SandboxMode sandboxMode,
        ApprovalPolicy approvalPolicy, bool requestEscalation = false, string? justification = null, HostOs? os = null,
        NetworkMode network = NetworkMode.Off, IReadOnlyList<string>? writableRoots = null, string? workingDirectory = null,
        GranularApproval? granular = null, string? unsandboxedRefusal = null)
        => Decide(AnalyzeArgv(argv), rules, sandboxMode, approvalPolicy, requestEscalation, justification, os,
            network, writableRoots, workingDirectory, granular, unsandboxedRefusal);

    /// <summary>The policy-independent analysis of a command string.</summary>
    public static CommandAnalysis Analyze(string command, ShellKind? shell = null)
    {
        var kind = shell ?? ShellDetector.Detect(command);
        switch (kind)
        {
            case ShellKind.PowerShell:
                return AnalyzePowerShell(command, command, ShellKind.PowerShell, ["pwsh", "-NoProfile", "-Command", command]);
            case ShellKind.Argv:
                return AnalyzeArgv(ShellWords.SplitLenient(command));
            default:
                return AnalyzePosix(command, command, ShellKind.Posix, ["/bin/sh", "-c", command]);
        }
    }

    /// <summary>The policy-independent analysis of an argv.</summary>
    public static CommandAnalysis AnalyzeArgv(IReadOnlyList<string> argv)
    {
        var display = ShellWords.Join(argv);
        var copy = new string[argv.Count];
        for (int i = 0; i < copy.Length; i++) copy[i] = argv[i];
        // an empty or blank script falls back to the whole argv (execpolicy.md §3)
        if (ShellWrapper.TryGetPosixScript(copy, out var script) && !string.IsNullOrWhiteSpace(script))
        {
            return AnalyzePosix(display, script, ShellKind.Argv, copy, copy);
        }
        if (ShellWrapper.TryGetPowerShellScript(copy, out var psScript) && !string.IsNullOrWhiteSpace(psScript))
        {
            return AnalyzePowerShell(display, psScript, ShellKind.Argv, copy, copy);
        }
        bool safe = copy.Length > 0 && KnownSafeCommands.IsKnownSafe(copy);
        string reason = "";
        bool dangerous = copy.Length > 0 && DangerousCommands.IsDangerous(copy, out reason);
        return new CommandAnalysis(display, ShellKind.Argv, [copy], copy.Length > 0, false,
            [safe], [dangerous], [dangerous ? reason : null], [], CanonicalKey.ForArgv(copy));
    }

    private static CommandAnalysis AnalyzePosix(string display, string script, ShellKind shell, string[] fallback, string[]? wrapper = null)
    {
        var commands = new List<string[]>(4);
        if (PosixScriptParser.TryParsePlainCommands(script, commands))
        {
            int n = commands.Count;
            var safe = new bool[n];
            var dangerous = new bool[n];
            var reasons = new string?[n];
            for (int i = 0; i < n; i++)
            {
                safe[i] = KnownSafeCommands.IsKnownSafe(commands[i]);
                if (DangerousCommands.IsDangerous(commands[i], out var r)) { dangerous[i] = true; reasons[i] = r; }
            }
            var key = n == 1 ? CanonicalKey.ForArgv(commands[0]) : CanonicalKey.ForShellScript(script);
            return new CommandAnalysis(display, shell, commands, true, false, safe, dangerous, reasons, [], key, wrapper);
        }

        var redirects = script.Contains('>') ? PosixScriptParser.OutputRedirectTargets(script) : [];
        var scan = PosixScriptParser.SplitLenient(script);
        string? scanReason = null;
        foreach (var s in scan)
        {
            if (DangerousCommands.IsDangerous(s, out var r)) { scanReason = r; break; }
        }
        var heredoc = PosixScriptParser.TryParseHeredocCommand(script);
        if (heredoc is not null)
        {
            string? reason = DangerousCommands.IsDangerous(heredoc, out var r) ? r : scanReason;
            return new CommandAnalysis(display, shell, [heredoc], true, true, [false], [reason is not null], [reason],
                scan, CanonicalKey.ForShellScript(script), wrapper) { RedirectTargets = redirects };
        }
        return new CommandAnalysis(display, shell, [fallback], false, false, [false], [scanReason is not null], [scanReason],
            scan, CanonicalKey.ForShellScript(script), wrapper) { RedirectTargets = redirects };
    }

    private static CommandAnalysis AnalyzePowerShell(string display, string script, ShellKind shell, string[] fallback, string[]? wrapper = null)
    {
        var key = CanonicalKey.ForPowerShellScript(script);
        bool textDanger = WindowsCommandPatterns.IsDangerousPowerShellText(script, out var textReason);
        var commands = new List<string[]>(4);
        if (PowerShellAnalysis.TryParseCommands(script, commands))
        {
            int n = commands.Count;
            var safe = new bool[n];
            var dangerous = new bool[n];
            var reasons = new string?[n];
            for (int i = 0; i < n; i++)
            {
                safe[i] = PowerShellSafeCommands.IsSafe(commands[i]);
                if (DangerousCommands.IsDangerous(commands[i], out var r)) { dangerous[i] = true; reasons[i] = r; }
            }
            if (textDanger && Array.IndexOf(dangerous, true) < 0)
            {
                dangerous[0] = true;
                reasons[0] = textReason;
            }
            return new CommandAnalysis(display, shell, commands, true, false, safe, dangerous, reasons, [], key, wrapper);
        }
        // unsupported script: the text patterns above, then the POSIX detector on a best-effort split (no second parse)
        var scan = PowerShellAnalysis.SplitLenient(script);
        string? reason = textDanger ? textReason : null;
        if (reason is null)
        {
            foreach (var words in scan)
            {
                if (DangerousCommands.IsDangerous(words, out var why)) { reason = why; break; }
            }
        }
        return new CommandAnalysis(display, shell, [fallback], false, false, [false], [reason is not null], [reason], scan, key, wrapper);
    }

    /// <summary>Adds rule matches and the approval decision to an analysis.</summary>
    public static CommandAssessment Decide(CommandAnalysis analysis, RuleSet? rules, SandboxMode sandboxMode, ApprovalPolicy approvalPolicy,
        bool requestEscalation = false, string? justification = null, HostOs? os = null,
        NetworkMode network = NetworkMode.Off, IReadOnlyList<string>? writableRoots = null, string? workingDirectory = null,
        GranularApproval? granular = null, string? unsandboxedRefusal = null)
    {
        rules ??= RuleSet.Empty;
        int n = analysis.Segments.Count;
        var verdicts = new SegmentVerdict[n];
        List<RuleMatch>? allMatches = null;
        for (int i = 0; i < n; i++)
        {
            var matches = rules.Match(analysis.Segments[i]);
            if (!analysis.Parsed || analysis.UsesComplexParsing)
            {
                // an opaque script can still be held back by a prompt or forbidden rule on any command inside it,
                // but never let through by an allow rule
                List<RuleMatch>? extra = null;
                foreach (var s in analysis.ScanSegments)
                {
                    foreach (var m in rules.Match(s))
                    {
                        if (m.Decision != RuleDecision.Allow) (extra ??= [.. matches]).Add(m);
                    }
                }
                if (extra is not null) matches = extra;
            }
            if (i == 0 && analysis.WrapperArgv is { } wrapper && (analysis.Parsed || analysis.UsesComplexParsing))
            {
                // a rule on the wrapper itself (`pwsh`, `bash -lc`) still holds the command back; Codex matches the
                // whole argv of PowerShell wrappers. An allow rule on the wrapper does not approve the script inside.
                List<RuleMatch>? extra = null;
                foreach (var m in rules.Match(wrapper))
                {
                    if (m.Decision != RuleDecision.Allow) (extra ??= [.. matches]).Add(m);
                }
                if (extra is not null) matches = extra;
            }
            if (matches.Count > 0) (allMatches ??= []).AddRange(matches);
            verdicts[i] = new SegmentVerdict(analysis.Segments[i], analysis.SegmentIsKnownSafe[i], analysis.SegmentIsDangerous[i],
                analysis.SegmentDangerReasons[i], matches);
        }
        var outcome = ApprovalEngine.Decide(new ApprovalRequest(verdicts, analysis.UsesComplexParsing, sandboxMode, approvalPolicy,
            requestEscalation, justification, os ?? HostOsInfo.Current, granular, unsandboxedRefusal));
        var reasons = Reasons(analysis, outcome, allMatches, sandboxMode, approvalPolicy);
        bool usesNetwork = EffectAnalysis.AddNetworkReasons(analysis, reasons, EffectiveNetwork(outcome, sandboxMode, network));
        EffectAnalysis.AddWriteReasons(analysis, reasons, RunsOutsideSandbox(outcome) ? SandboxMode.DangerFullAccess : sandboxMode,
            writableRoots, workingDirectory);
        return new CommandAssessment
        {
            Command = analysis.Command,
            Segments = analysis.Segments,
            Shell = analysis.Shell,
            Safety = analysis.Safety,
            Decision = outcome.Decision,
            RunsSandboxed = outcome.Action != ApprovalAction.Reject && outcome.Sandboxed,
            OffersUnsandboxedRetry = outcome.OfferUnsandboxedRetry,
            RetryNeedsApproval = outcome.RetryNeedsPrompt,
            DecidedByRule = outcome.DecidedByRule,
            MatchedRules = allMatches is null ? [] : allMatches,
            Reasons = reasons,
            UsesNetwork = usesNetwork,
            UsesComplexParsing = analysis.UsesComplexParsing,
            CanonicalKey = analysis.CanonicalKey,
            SandboxMode = sandboxMode,
            ApprovalPolicy = approvalPolicy,
        };
    }

    /// <summary>Outside the sandbox (full access, an escalation, rule-allowed) nothing holds the network back.</summary>
    private static NetworkMode EffectiveNetwork(ApprovalOutcome outcome, SandboxMode sandboxMode, NetworkMode network)
        => sandboxMode == SandboxMode.DangerFullAccess || RunsOutsideSandbox(outcome) ? NetworkMode.On : network;

    // a rejected command never runs; describe it under the policy it was judged by
    private static bool RunsOutsideSandbox(ApprovalOutcome outcome) => outcome.Action != ApprovalAction.Reject && !outcome.Sandboxed;

    private static List<string> Reasons(CommandAnalysis analysis, ApprovalOutcome outcome, List<RuleMatch>? matches,
        SandboxMode sandboxMode, ApprovalPolicy approvalPolicy)
    {
        var reasons = new List<string>(4);
        if (outcome.Reason is not null) reasons.Add(Sentence(outcome.Reason));
        for (int i = 0; i < analysis.Segments.Count; i++)
        {
            // Said once: the deciding reason of a prompt already names the danger (`rm -rf x` might be dangerous: …).
            if (analysis.SegmentDangerReasons[i] is { } d && !reasons.Exists(r => r.Contains(d, StringComparison.Ordinal)))
            {
                reasons.Add($"Dangerous: {d}.");
            }
        }
        if (matches is not null)
        {
            foreach (var m in matches)
            {
                // The deciding reason of a rule's verdict is its justification (`curl x` rejected: use the mirror); not twice.
                var justification = m.Justification is { } j && !reasons.Exists(r => r.Contains(j, StringComparison.Ordinal)) ? $": {j}" : "";
                reasons.Add(Sentence($"Rule `{m.Pattern}` ({m.Source}) says {m.Decision.ToString().ToLowerInvariant()}{justification}"));
            }
        }
        switch (analysis.Safety)
        {
            case CommandSafety.KnownSafe:
                reasons.Add("Every command is on the known-safe list.");
                break;
            case CommandSafety.Unparsed:
                reasons.Add(analysis.Shell == ShellKind.PowerShell || analysis.Segments[0].Length > 0 && ExecutableName.IsPowerShell(analysis.Segments[0][0])
                    ? "The script uses PowerShell features beyond literal commands (variables, subexpressions, script blocks, redirections…), so it is not known to be safe."
                    : "The script uses shell features beyond plain commands (expansions, redirections, subshells…), so it is not known to be safe.");
                break;
            case CommandSafety.Unknown:
                if (analysis.UsesComplexParsing) reasons.Add("Only the heredoc command could be parsed; such commands are never auto-approved as safe.");
                else reasons.Add("Not on the known-safe list.");
                break;
        }
        reasons.Add(outcome.Action switch
        {
            ApprovalAction.RunSandboxed => $"Runs in the sandbox ({sandboxMode}) without asking under {approvalPolicy}.",
            ApprovalAction.RunUnsandboxed => outcome.DecidedByRule
                ? "Allowed by exec-policy rules on every command: runs without the sandbox."
                : $"Runs without the sandbox ({sandboxMode}{(sandboxMode == SandboxMode.DangerFullAccess ? "" : ", escalation requested")}).",
            ApprovalAction.Ask => $"Needs approval under {approvalPolicy}; runs {(outcome.Sandboxed ? "in the sandbox" : "without the sandbox")} once approved.",
            _ => $"Rejected under {approvalPolicy}.",
        });
        return reasons;
    }

    /// <summary>
    /// The reasons are read one after another (joined with spaces), so each ends like a sentence: the approval engine's
    /// phrases (Codex's wording) and rule justifications get a full stop when they have none. Their words are kept.
    /// </summary>
    private static string Sentence(string text)
    {
        text = text.TrimEnd();
        return text.Length == 0 || text[^1] is '.' or '!' or '?' or '…' ? text : text + ".";
    }
}
