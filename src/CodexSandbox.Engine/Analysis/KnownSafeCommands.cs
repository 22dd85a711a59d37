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
            case "true": case "uname": case "uniq": case "wc": case "which": case "whoami":
            // Linux-only in Codex; this module targets Linux
            case "numfmt": case "tac":
                return true;
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
                return IsSafeGit(argv);
            case "sed":
                return argv.Count is 3 or 4 && argv[1] == "-n" && IsSedPrint(argv[2]);
            default:
                return false;
        }
    }

    private static bool IsSafeGit(IReadOnlyList<string> argv)
    {
        for (int i = 1; i < argv.Count; i++)
        {
            if (IsPromptRequiringGitOption(argv[i])) return false;
        }
        int sub = FindGitSubcommand(argv);
        if (sub < 0) return false;
        var subcommand = argv[sub];
        if (subcommand is not ("status" or "log" or "diff" or "show" or "branch")) return false;
        for (int i = sub + 1; i < argv.Count; i++)
        {
            var a = argv[i];
            if (a == "--output" || a.StartsWith("--output=", StringComparison.Ordinal) || a == "--ext-diff" || a == "--textconv"
                || a == "--exec" || a.StartsWith("--exec=", StringComparison.Ordinal) || a == "--paginate") return false;
        }
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

    /// <summary>Global options that can run code or redirect git to other files (§4.1 git (a)).</summary>
    private static bool IsPromptRequiringGitOption(string a)
    {
        if (a == "-c" || (a.StartsWith("-c", StringComparison.Ordinal) && a.Length > 2 && a[1] == 'c')) return true;
        ReadOnlySpan<string> withValue = ["--config-env", "--exec-path", "--git-dir", "--namespace", "--super-prefix", "--work-tree"];
        foreach (var o in withValue)
        {
            if (a == o || (a.StartsWith(o, StringComparison.Ordinal) && a.Length > o.Length && a[o.Length] == '=')) return true;
        }
        return false;
    }

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
