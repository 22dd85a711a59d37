namespace CodexSandbox.Engine.Analysis;

/// <summary>
/// The dangerous-command detector: Codex's §4.4 rules, the Windows patterns of §4.5 on every OS, and our stricter set
/// (every spelling of a forced <c>rm</c>, commands behind sudo/doas/env/nice/nohup/time/command/exec/xargs/timeout/busybox, destructive git, <c>dd</c> to a device, <c>mkfs</c>,
/// recursive <c>chmod</c>/<c>chown</c> of <c>/</c>).
/// </summary>
public static class DangerousCommands
{
    private const int MaxDepth = 8;

    /// <summary>True when <paramref name="argv"/> might destroy data or escape; <paramref name="reason"/> says which pattern.</summary>
    public static bool IsDangerous(IReadOnlyList<string> argv, out string reason) => Check(argv, 0, out reason);

    private static bool Check(IReadOnlyList<string> argv, int depth, out string reason)
    {
        reason = "";
        if (argv.Count == 0 || depth > MaxDepth) return false;
        if (ShellWrapper.TryGetPosixScript(argv, out var script))
        {
            // any command inside the script, including ones behind redirections or substitutions
            foreach (var inner in PosixScriptParser.SplitLenient(script))
            {
                if (Check(inner, depth + 1, out reason)) return true;
            }
            return false;
        }
        if (ShellWrapper.TryGetPowerShellScript(argv, out var psScript))
        {
            return PowerShellAnalysis.IsDangerousScript(psScript, out reason);
        }
        var name = ExecutableName.Basename(argv[0]);
        // stricter than Codex: any `sh -c script [args…]` (or `-ec`, `-xc`…) and `eval words…` run text as a script
        string? embedded = null;
        if (ExecutableName.IsPosixShell(argv[0]))
        {
            for (int i = 1; i < argv.Count - 1; i++)
            {
                var a = argv[i];
                if (a.Length < 2 || a[0] != '-' || a.StartsWith("--", StringComparison.Ordinal)) break;
                if (a.IndexOf('c') > 0) { embedded = argv[i + 1]; break; }
            }
        }
        else if (name == "eval" && argv.Count > 1)
        {
            embedded = string.Join(' ', Slice(argv, 1));
        }
        if (embedded is not null)
        {
            foreach (var inner in PosixScriptParser.SplitLenient(embedded))
            {
                if (Check(inner, depth + 1, out reason)) return true;
            }
            return false;
        }
        switch (name)
        {
            case "rm":
                return IsForcedRm(argv, out reason);
            case "sudo":
            case "doas":
            case "env":
            case "nice":
            case "nohup":
            case "time":
            case "command":
            case "exec":
            case "xargs":
            case "timeout":
            case "busybox":
                int next = SkipWrapperOptions(name, argv);
                if (next < 0 || next >= argv.Count) return false;
                return Check(Slice(argv, next), depth + 1, out reason);
            case "git":
                return IsDestructiveGit(argv, out reason);
            case "dd":
                for (int i = 1; i < argv.Count; i++)
                {
                    if (argv[i].StartsWith("of=/dev/", StringComparison.Ordinal) && argv[i] != "of=/dev/null")
                    {
                        reason = "dd writes to a device (" + argv[i] + ")";
                        return true;
                    }
                }
                return false;
            case "chmod":
            case "chown":
            case "chgrp":
                return IsRecursiveOnRoot(name, argv, out reason);
        }
        if (name.StartsWith("mkfs", StringComparison.Ordinal) || name is "mke2fs" or "mkswap" or "wipefs")
        {
            reason = name + " formats a file system";
            return true;
        }
        return WindowsCommandPatterns.IsDangerousArgv(argv, out reason);
    }

    /// <summary>
    /// <c>rm</c> with a force flag in any spelling (<c>-f</c>, <c>-rf</c>, <c>-fr</c>, <c>-r -f</c>, <c>-Rfv</c>, <c>--force</c>,
    /// an unambiguous prefix such as <c>--forc</c>), or <c>--no-preserve-root</c>, or a recursive delete of <c>/</c> or <c>~</c>.
    /// GNU rm reads options after operands too, so every argument before <c>--</c> counts.
    /// </summary>
    private static bool IsForcedRm(IReadOnlyList<string> argv, out string reason)
    {
        bool force = false, recursive = false, rootTarget = false, noPreserve = false, endOfOptions = false;
        for (int i = 1; i < argv.Count; i++)
        {
            var a = argv[i];
            if (!endOfOptions && a == "--") { endOfOptions = true; continue; }
            if (!endOfOptions && a.Length > 2 && a.StartsWith("--", StringComparison.Ordinal))
            {
                if (IsLongOptionPrefix(a, "--force", 3)) force = true;
                else if (IsLongOptionPrefix(a, "--recursive", 5)) recursive = true;
                else if (IsLongOptionPrefix(a, "--no-preserve-root", 4)) noPreserve = true;
                continue;
            }
            if (!endOfOptions && a.Length > 1 && a[0] == '-')
            {
                for (int k = 1; k < a.Length; k++)
                {
                    if (a[k] == 'f') force = true;
                    else if (a[k] is 'r' or 'R') recursive = true;
                }
                continue;
            }
            if (a is "/" or "/*" or "~" or "~/") rootTarget = true;
        }
        if (noPreserve) { reason = "rm --no-preserve-root can delete the whole file system"; return true; }
        if (force) { reason = recursive ? "rm -rf forcibly deletes a whole tree" : "rm -f forcibly deletes files"; return true; }
        if (recursive && rootTarget) { reason = "rm -r of the root or home folder"; return true; }
        reason = "";
        return false;
    }

    /// <summary>getopt_long accepts any unambiguous prefix; <paramref name="minLength"/> is where the prefix becomes unambiguous.</summary>
    private static bool IsLongOptionPrefix(string arg, string option, int minLength)
    {
        int eq = arg.IndexOf('=');
        int len = eq < 0 ? arg.Length : eq;
        return len >= minLength && len <= option.Length && string.CompareOrdinal(arg, 0, option, 0, len) == 0;
    }

    /// <summary>The command a wrapper (sudo, doas, env, nice, nohup, time, command, exec, xargs, timeout, busybox) runs, or null.</summary>
    internal static IReadOnlyList<string>? Wrapped(IReadOnlyList<string> argv)
    {
        if (argv.Count < 2) return null;
        var name = ExecutableName.Basename(argv[0]);
        if (name is not ("sudo" or "doas" or "env" or "nice" or "nohup" or "time" or "command" or "exec" or "xargs" or "timeout" or "busybox")) return null;
        int next = SkipWrapperOptions(name, argv);
        return next < 0 || next >= argv.Count ? null : Slice(argv, next);
    }

    /// <summary>Index of the wrapped command after a privilege or environment wrapper's own options, or -1.</summary>
    private static int SkipWrapperOptions(string wrapper, IReadOnlyList<string> argv)
    {
        int i = 1;
        while (i < argv.Count)
        {
            var a = argv[i];
            if (a == "--") return i + 1;
            if (a.Length > 1 && a[0] == '-')
            {
                if (wrapper is "sudo" or "doas" && TakesValue(wrapper, a)) i += 2;
                else if (wrapper == "env" && a is "-u" or "--unset" or "-C" or "--chdir" or "-S" or "--split-string") i += 2;
                else if (wrapper == "nice" && a is "-n" or "--adjustment") i += 2;
                else if (wrapper == "xargs" && a is "-I" or "-n" or "-P" or "-d" or "-E" or "-L" or "-s" or "-a") i += 2;
                else if (wrapper == "timeout" && a is "-s" or "--signal" or "-k" or "--kill-after") i += 2;
                else i++;
                continue;
            }
            // timeout's first operand is the duration, the command follows it
            if (wrapper == "timeout") return i + 1;
            if (wrapper is "sudo" or "env" && PosixScriptParser.IsAssignment(a)) { i++; continue; }
            return i;
        }
        return -1;
    }

    private static bool TakesValue(string wrapper, string option)
    {
        if (option.StartsWith("--", StringComparison.Ordinal))
        {
            // --user=x carries its value; --user x does not
            return option.IndexOf('=') < 0 && option is "--user" or "--group" or "--close-from" or "--chdir" or "--host"
                or "--prompt" or "--role" or "--type" or "--other-user" or "--command-timeout" or "--chroot";
        }
        // a cluster such as -nu takes its value from the next argument when the value option is last
        char last = option[^1];
        return wrapper == "sudo"
            ? last is 'u' or 'g' or 'C' or 'D' or 'h' or 'p' or 'r' or 't' or 'T' or 'U' or 'R' && option.Length >= 2
            : last is 'u' or 'C';
    }

    private static IReadOnlyList<string> Slice(IReadOnlyList<string> argv, int from)
    {
        var rest = new string[argv.Count - from];
        for (int i = from; i < argv.Count; i++) rest[i - from] = argv[i];
        return rest;
    }

    private static bool IsDestructiveGit(IReadOnlyList<string> argv, out string reason)
    {
        reason = "";
        int sub = KnownSafeCommands.FindGitSubcommand(argv);
        if (sub < 0) return false;
        switch (argv[sub])
        {
            case "reset":
                for (int i = sub + 1; i < argv.Count; i++)
                {
                    if (argv[i] == "--hard") { reason = "git reset " + argv[i] + " discards work"; return true; }
                }
                return false;
            case "clean":
                for (int i = sub + 1; i < argv.Count; i++)
                {
                    var a = argv[i];
                    if (a == "--force" || (a.Length > 1 && a[0] == '-' && a[1] != '-' && a.IndexOf('f') > 0))
                    {
                        reason = "git clean -f deletes untracked files";
                        return true;
                    }
                }
                return false;
            case "push":
                for (int i = sub + 1; i < argv.Count; i++)
                {
                    var a = argv[i];
                    if (a.StartsWith("--force", StringComparison.Ordinal) || a == "--delete" || a == "--mirror" || a == "--prune")
                    {
                        reason = "git push " + a + " rewrites or deletes remote history";
                        return true;
                    }
                    if (a.Length > 1 && a[0] == '-' && a[1] != '-' && (a.IndexOf('f') > 0 || a.IndexOf('d') > 0))
                    {
                        reason = "git push " + a + " rewrites or deletes remote history";
                        return true;
                    }
                    if (a.Length > 1 && (a[0] == '+' || a[0] == ':'))
                    {
                        reason = "git push " + a + " force-updates or deletes a remote branch";
                        return true;
                    }
                }
                return false;
            case "branch":
                bool delete = false, force = false;
                for (int i = sub + 1; i < argv.Count; i++)
                {
                    var a = argv[i];
                    if (a == "--delete") delete = true;
                    else if (a == "--force") force = true;
                    else if (a.Length > 1 && a[0] == '-' && a[1] != '-')
                    {
                        if (a.IndexOf('D') > 0) { delete = true; force = true; }
                        if (a.IndexOf('d') > 0) delete = true;
                        if (a.IndexOf('f') > 0) force = true;
                    }
                }
                if (delete && force) { reason = "git branch -D deletes unmerged branches"; return true; }
                return false;
            default:
                return false;
        }
    }

    private static bool IsRecursiveOnRoot(string name, IReadOnlyList<string> argv, out string reason)
    {
        bool recursive = false, root = false;
        for (int i = 1; i < argv.Count; i++)
        {
            var a = argv[i];
            if (a == "--recursive" || (a.Length > 1 && a[0] == '-' && a[1] != '-' && a.IndexOf('R') > 0)) recursive = true;
            else if (a is "/" or "/*") root = true;
        }
        reason = recursive && root ? name + " -R on / changes every file" : "";
        return recursive && root;
    }
}
