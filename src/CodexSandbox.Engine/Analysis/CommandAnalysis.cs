namespace CodexSandbox.Engine.Analysis;

/// <summary>The policy-independent analysis of one command: its segments and what the heuristics say about each.</summary>
public sealed class CommandAnalysis
{
    internal CommandAnalysis(string command, ShellKind shell, IReadOnlyList<string[]> segments, bool parsed, bool usesComplexParsing,
        bool[] safe, bool[] dangerous, string?[] dangerReasons, IReadOnlyList<string[]> scanSegments, string canonicalKey,
        string[]? wrapperArgv = null)
    {
        WrapperArgv = wrapperArgv;
        Command = command;
        Shell = shell;
        Segments = segments;
        Parsed = parsed;
        UsesComplexParsing = usesComplexParsing;
        SegmentIsKnownSafe = safe;
        SegmentIsDangerous = dangerous;
        SegmentDangerReasons = dangerReasons;
        ScanSegments = scanSegments;
        CanonicalKey = canonicalKey;
        bool anyDangerous = false, allSafe = !usesComplexParsing;
        for (int i = 0; i < segments.Count; i++)
        {
            anyDangerous |= dangerous[i];
            allSafe &= safe[i];
        }
        Safety = anyDangerous ? CommandSafety.Dangerous
            : !parsed ? CommandSafety.Unparsed
            : allSafe ? CommandSafety.KnownSafe
            : CommandSafety.Unknown;
    }

    public string Command { get; }
    public ShellKind Shell { get; }
    /// <summary>The parsed commands; when the script could not be split, the one argv that runs it.</summary>
    public IReadOnlyList<string[]> Segments { get; }
    /// <summary>False when the script used constructs the parsers do not accept.</summary>
    public bool Parsed { get; }
    /// <summary>Only the heredoc fallback understood the script (§4.2.3).</summary>
    public bool UsesComplexParsing { get; }
    public IReadOnlyList<bool> SegmentIsKnownSafe { get; }
    public IReadOnlyList<bool> SegmentIsDangerous { get; }
    public IReadOnlyList<string?> SegmentDangerReasons { get; }
    /// <summary>For an unparsed script, a best-effort split used to find dangerous commands and forbidding rules.</summary>
    public IReadOnlyList<string[]> ScanSegments { get; }
    public CommandSafety Safety { get; }
    /// <summary>The <c>bash -lc</c> / <c>pwsh -c</c> argv the segments came out of, when the caller gave one.</summary>
    public IReadOnlyList<string>? WrapperArgv { get; }
    public string CanonicalKey { get; }
    /// <summary>Literal files written by output redirections in a POSIX script (<c>&gt; out.txt</c>).</summary>
    public IReadOnlyList<string> RedirectTargets { get; internal init; } = [];
}
