namespace CodexSandbox.Engine.Analysis;

/// <summary>Codex's known-safe list for one argv (codex-behaviour.md §4.1), with Linux as the target OS.</summary>
public static class KnownSafeCommands
{
    /// <summary>
    /// §4.1 in order: a PowerShell wrapper whose script is safe (on every OS), a safe program, or a
    /// <c>bash|zsh|sh -lc|-c</c> wrapper whose plain commands are all safe. <c>zsh</c> is treated as <c>bash</c>.
    /// </summary>
    public static bool IsKnownSafe(IReadOnlyList<string> argv)
    {
        if (argv.Count == 0) return false;
        if (ShellWrapper.TryGetPowerShellScript(argv, out var psScript)) return PowerShellAnalysis.IsSafeScript(psScript);
        if (IsSafeToCallWithExec(argv)) return true;
        if (ShellWrapper.TryGetPosixScript(argv, out var script))
        {
            var commands = new List<string[]>(4);
            if (!PosixScriptParser.TryParsePlainCommands(script, commands)) return false;
            foreach (var c in commands) if (!IsSafeToCallWithExec(c)) return false;
            return true;
        }
        return false;
    }

    /// <summary>The per-program table of §4.1, looked up by basename.</summary>
    public static bool IsSafeToCallWithExec(IReadOnlyList<string> argv)
    {
        if (argv.Count == 0) return false;
        var name = ExecutableName.Basename(argv[0]);
        switch (name)
        {
            case "cat": case "cd": case "cut": case "echo": case "expr": case "false": case "grep": case "head": case "id":
            case "ls": case "nl": case "paste": case "pwd": case "rev": case "seq": case "stat": case "tail": case "tr":
            case "true": case "uname": case "wc": case "which": case "whoami":
            // Linux-only in Codex; this module targets Linux
            case "numfmt": case "tac":
                return true;
            case "uniq":
                return IsSafeUniq(argv);
            case "base64":
                for (int i = 1; i < argv.Count; i++)
                {
                    var a = argv[i];
                    if (a == "-o" || a == "--output" || a.StartsWith("--output=", StringComparison.Ordinal)
                        || (a.StartsWith("-o", StringComparison.Ordinal) && a.Length > 2)) return false;
                }
                return true;
            case "find":
                for (int i = 1; i < argv.Count; i++)
                {
                    switch (argv[i])
                    {
                        case "-exec": case "-execdir": case "-ok": case "-okdir": case "-delete": case "-fls":
                        case "-fprint": case "-fprint0": case "-fprintf":
                            return false;
                    }
                }
                return true;
            case "rg":
                for (int i = 1; i < argv.Count; i++)
                {
                    var a = argv[i];
                    if (a == "--search-zip" || a == "-z" || a == "--pre" || a == "--hostname-bin"
                        || a.StartsWith("--pre=", StringComparison.Ordinal) || a.StartsWith("--hostname-bin=", StringComparison.Ordinal)) return false;
                }
                return true;
            case "git":
                return IsReadOnlyGit(argv);
            case "sed":
                return IsSafeSed(argv);
            default:
                return false;
        }
    }

    /// <summary>
    /// <c>uniq [OPTION]… [INPUT [OUTPUT]]</c>: a second operand is a file uniq writes, so only zero or one operand is
    /// safe. <c>-f</c>, <c>-s</c>, <c>-w</c> and their long forms take the next argument as their value; anything that
    /// cannot be told apart (an abbreviated long option, <c>+N</c>, <c>-</c>) counts as an operand, which errs towards unsafe.
    /// </summary>
    private static bool IsSafeUniq(IReadOnlyList<string> argv)
    {
        int operands = 0;
        bool endOfOptions = false;
        for (int i = 1; i < argv.Count; i++)
        {
            var a = argv[i];
            if (endOfOptions || a == "-" || !a.StartsWith('-'))
            {
                operands++;
                continue;
            }
            if (a == "--")
            {
                endOfOptions = true;
                continue;
            }
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                if (a is "--skip-fields" or "--skip-chars" or "--check-chars") i++;
                continue;
            }
            // a cluster of short options: -f, -s and -w take the rest of the cluster, or the next argument
            for (int j = 1; j < a.Length; j++)
            {
                if (a[j] is 'f' or 's' or 'w')
                {
                    if (j == a.Length - 1) i++;
                    break;
                }
            }
        }
        return operands <= 1;
    }

    /// <summary>
    /// Only <c>sed -n N[,M]p [FILE]</c> (§4.1). The file must not look like an option: <c>-e1e CMD</c>,
    /// <c>--expression=w FILE</c> or <c>-fSCRIPT</c> in that place would be read by sed as more script, and GNU sed's
    /// <c>e</c>, <c>w</c> and <c>W</c> commands run commands and write files. <c>-</c> (standard input) is fine.
    /// </summary>
    private static bool IsSafeSed(IReadOnlyList<string> argv)
    {
        if (argv.Count is not (3 or 4) || argv[1] != "-n" || !IsSedPrint(argv[2])) return false;
        return argv.Count == 3 || argv[3] == "-" || !argv[3].StartsWith('-');
    }

    /// <summary>
    /// The one git check, for argv and for the words of a PowerShell command (codex-behaviour.md §4.1 git, plus
    /// Codex's later additions): the subcommand must be <c>status</c>, <c>log</c>, <c>diff</c>, <c>show</c> or a
    /// read-only <c>branch</c>, and no argument may redirect git to other files, run a program or write a file.
    /// Options are case-sensitive (<c>-C</c> is not <c>-c</c>), as git reads them.
    /// </summary>
    public static bool IsReadOnlyGit(IReadOnlyList<string> argv)
    {
        if (argv.Count == 0) return false;
        int sub = FindGitSubcommand(argv);
        if (sub < 0) return false;
        for (int i = 1; i < argv.Count; i++)
        {
            var a = argv[i];
            if (i == sub) continue;
            if (IsUnsafeGitOption(a)) return false;
            // before the subcommand -p is --paginate (runs the pager); after it, -p asks for patch output
            if (i < sub && a == "-p") return false;
        }
        var subcommand = argv[sub];
        if (subcommand is not ("status" or "log" or "diff" or "show" or "branch")) return false;
        if (subcommand == "branch")
        {
            for (int i = sub + 1; i < argv.Count; i++)
            {
                var a = argv[i];
                if (!(a is "--list" or "-l" or "--show-current" or "-a" or "--all" or "-r" or "--remotes" or "-v" or "-vv" or "--verbose"
                    || a.StartsWith("--format=", StringComparison.Ordinal))) return false;
            }
        }
        return true;
    }

    /// <summary>
    /// An option that makes git read another repository or config (<c>-C</c>, <c>-c</c>, <c>--git-dir</c>, <c>--work-tree</c>…),
    /// run a program (<c>--exec-path</c>, <c>--paginate</c>, <c>--ext-diff</c>, <c>--textconv</c>, <c>--exec</c>) or write a
    /// file (<c>--output</c>), wherever it stands. <c>-c</c> and <c>-C</c> after the subcommand are harmless diff options,
    /// but refusing them there too keeps the check independent of git's parsing; Codex no longer accepts <c>git -C dir</c>.
    /// </summary>
    private static bool IsUnsafeGitOption(string a)
    {
        if (a.Length >= 2 && a[0] == '-' && a[1] is 'c' or 'C') return true; // -c, -C, and their glued forms -ccore.x=y, -C.
        if (a == "--paginate") return true;
        ReadOnlySpan<string> withValue = ["--config-env", "--exec-path", "--git-dir", "--namespace", "--super-prefix", "--work-tree", "--output", "--exec"];
        foreach (var o in withValue)
        {
            if (a == o || (a.StartsWith(o, StringComparison.Ordinal) && a.Length > o.Length && a[o.Length] == '=')) return true;
        }
        if (a.StartsWith("--config", StringComparison.Ordinal)) return true; // --config-env, and spellings git may accept later
        // --ext-diff and --textconv, also as unique abbreviations (--ext, --ext-d, --textc…), which newer git accepts
        return IsAbbreviationOf(a, "--ext-diff", "--ext".Length) || IsAbbreviationOf(a, "--textconv", "--textc".Length);
    }

    private static bool IsAbbreviationOf(string arg, string option, int shortest)
        => arg.Length >= shortest && arg.Length <= option.Length && option.StartsWith(arg, StringComparison.Ordinal);

    /// <summary>Index of git's subcommand: the first non-option after the global options (some of which take a value).</summary>
    internal static int FindGitSubcommand(IReadOnlyList<string> argv)
    {
        for (int i = 1; i < argv.Count; i++)
        {
            var a = argv[i];
            if (a is "-C" or "-c" or "--config-env" or "--exec-path" or "--git-dir" or "--namespace" or "--super-prefix" or "--work-tree")
            {
                i++;
                continue;
            }
            if (a.StartsWith('-')) continue;
            return i;
        }
        return -1;
    }

    /// <summary><c>^(\d+,)?\d+p$</c> without a regex.</summary>
    private static bool IsSedPrint(string s)
    {
        if (s.Length < 2 || s[^1] != 'p') return false;
        int i = 0, digits = 0;
        while (i < s.Length - 1 && char.IsAsciiDigit(s[i])) { i++; digits++; }
        if (digits == 0) return false;
        if (i == s.Length - 1) return true;
        if (s[i] != ',') return false;
        i++;
        digits = 0;
        while (i < s.Length - 1 && char.IsAsciiDigit(s[i])) { i++; digits++; }
        return digits > 0 && i == s.Length - 1;
    }
}
