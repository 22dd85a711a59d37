namespace CodexSandbox.Engine.Analysis;

/// <summary>
/// Codex's Windows dangerous patterns (codex-behaviour.md §4.5), applied on every OS, plus PowerShell commands that
/// run arbitrary text or take the machine down. Works on tokens, not on the parse tree, so it also sees scripts the
/// PowerShell safe-list parser rejects.
/// </summary>
public static class WindowsCommandPatterns
{
    private static readonly char[] SegmentSeparators = [';', '|', '&', '\n', '\r', '\t'];
    private static readonly char[] TokenSeparators = [' ', '{', '}', '(', ')', '[', ']', ',', ';'];

    /// <summary>Direct launches: <c>cmd /c</c> bodies, and GUI programs given a URL.</summary>
    public static bool IsDangerousArgv(IReadOnlyList<string> argv, out string reason)
    {
        reason = "";
        if (argv.Count == 0) return false;
        var name = ExecutableName.Basename(argv[0]).ToLowerInvariant();
        if (name is "cmd" or "cmd.exe")
        {
            var rest = new List<string>(argv.Count);
            for (int i = 1; i < argv.Count; i++) rest.Add(argv[i]);
            return IsDangerousCmd(rest, out reason);
        }
        bool hasUrl = false;
        bool urlDll = false;
        for (int i = 1; i < argv.Count; i++)
        {
            if (IsUrl(argv[i])) hasUrl = true;
            if (argv[i].Contains("url.dll,fileprotocolhandler", StringComparison.OrdinalIgnoreCase)) urlDll = true;
        }
        if (!hasUrl) return false;
        if (IsGuiLauncher(name) || (name is "rundll32" or "rundll32.exe" && urlDll))
        {
            reason = name + " opens a URL outside the sandbox";
            return true;
        }
        return false;
    }

    /// <summary>The §4.5 PowerShell checks on the raw script text, plus <c>Invoke-Expression</c> and friends.</summary>
    public static bool IsDangerousPowerShellText(string script, out string reason)
    {
        reason = "";
        bool hasUrl = false, hasStart = false, hasShellExecute = false;
        foreach (var rawSegment in script.Split(SegmentSeparators, StringSplitOptions.RemoveEmptyEntries))
        {
            var tokens = rawSegment.Split(TokenSeparators, StringSplitOptions.RemoveEmptyEntries);
            bool deleteVerb = false, force = false, segmentUrl = false;
            string? first = null;
            for (int i = 0; i < tokens.Length; i++)
            {
                var t = tokens[i].Trim('\'', '"', '`');
                if (t.Length == 0) continue;
                var lower = t.ToLowerInvariant();
                first ??= lower;
                if (IsUrl(t)) { hasUrl = true; segmentUrl = true; }
                switch (lower)
                {
                    case "remove-item": case "ri": case "rm": case "del": case "erase": case "rd": case "rmdir":
                        deleteVerb = true;
                        break;
                    case "start-process": case "start": case "saps": case "invoke-item": case "ii":
                        hasStart = true;
                        break;
                    case "invoke-expression": case "iex":
                        reason = t + " runs arbitrary text as code";
                        return true;
                    case "set-executionpolicy":
                        reason = "Set-ExecutionPolicy weakens script signing checks";
                        return true;
                    case "format-volume": case "clear-disk": case "initialize-disk":
                        reason = t + " erases a disk";
                        return true;
                    case "stop-computer": case "restart-computer":
                        reason = t + " shuts the machine down";
                        return true;
                }
                if (lower == "-force" || lower.StartsWith("-force:", StringComparison.Ordinal)) force = true;
                if (lower.Contains("start-process", StringComparison.Ordinal) || lower.Contains("invoke-item", StringComparison.Ordinal)) hasStart = true;
                if (lower.Contains("shellexecute", StringComparison.Ordinal) || lower.Contains("shell.application", StringComparison.Ordinal)) hasShellExecute = true;
            }
            if (deleteVerb && force)
            {
                reason = "force delete (" + rawSegment.Trim() + ")";
                return true;
            }
            if (first is not null && segmentUrl)
            {
                var firstName = first.Trim('&', '.', ' ');
                if (IsGuiLauncher(firstName) || (firstName is "rundll32" or "rundll32.exe"
                    && rawSegment.Contains("url.dll,fileprotocolhandler", StringComparison.OrdinalIgnoreCase)))
                {
                    reason = firstName + " opens a URL outside the sandbox";
                    return true;
                }
            }
        }
        if (hasUrl && (hasStart || hasShellExecute))
        {
            reason = "launches a URL through the desktop shell";
            return true;
        }
        // cmd.exe bodies keep their own syntax: scan the text after each `cmd` word
        int at = 0;
        while ((at = script.IndexOf("cmd", at, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            int end = at + 3;
            if (end + 4 <= script.Length && string.Compare(script, end, ".exe", 0, 4, StringComparison.OrdinalIgnoreCase) == 0) end += 4;
            bool wordStart = at == 0 || script[at - 1] is ' ' or '\t' or ';' or '|' or '&' or '(' or '\n' or '\\' or '/' or '"' or '\'';
            if (wordStart && end < script.Length && script[end] is ' ' or '\t')
            {
                int eol = script.IndexOf('\n', end);
                var body = script.Substring(end, (eol < 0 ? script.Length : eol) - end);
                if (IsDangerousCmd(ShellWords.SplitLenient(body), out reason)) return true;
            }
            at = end;
        }
        return false;
    }

    /// <summary>
    /// <c>cmd [switches] /c|/r|-c body</c>: dangerous when a segment of the body is <c>start URL</c>, <c>del|erase … /f</c>,
    /// or <c>rd|rmdir … /s … /q</c>. An unknown bare word before <c>/c</c> means cmd is not running a body.
    /// </summary>
    public static bool IsDangerousCmd(IReadOnlyList<string> args, out string reason)
    {
        reason = "";
        int i = 0;
        for (; i < args.Count; i++)
        {
            var a = args[i];
            if (a.Equals("/c", StringComparison.OrdinalIgnoreCase) || a.Equals("/r", StringComparison.OrdinalIgnoreCase)
                || a.Equals("-c", StringComparison.OrdinalIgnoreCase)) break;
            if (a.StartsWith('/')) continue;
            return false;
        }
        if (i >= args.Count - 1) return false;
        IReadOnlyList<string> body;
        if (i + 2 == args.Count) body = ShellWords.SplitLenient(args[i + 1]);
        else
        {
            var list = new List<string>(args.Count - i - 1);
            for (int k = i + 1; k < args.Count; k++) list.Add(args[k]);
            body = list;
        }
        // split & && | || even when they touch a word (`echo hi&del /f x`)
        var segment = new List<string>();
        foreach (var word in body)
        {
            int start = 0;
            for (int k = 0; k <= word.Length; k++)
            {
                if (k == word.Length || word[k] is '&' or '|')
                {
                    if (k > start) segment.Add(word.Substring(start, k - start));
                    if (k < word.Length)
                    {
                        if (IsDangerousCmdSegment(segment, out reason)) return true;
                        segment.Clear();
                    }
                    start = k + 1;
                }
            }
        }
        return IsDangerousCmdSegment(segment, out reason);
    }

    private static bool IsDangerousCmdSegment(List<string> segment, out string reason)
    {
        reason = "";
        if (segment.Count == 0) return false;
        var verb = segment[0].ToLowerInvariant();
        bool f = false, s = false, q = false, url = false;
        for (int i = 1; i < segment.Count; i++)
        {
            var a = segment[i];
            if (a.Equals("/f", StringComparison.OrdinalIgnoreCase)) f = true;
            else if (a.Equals("/s", StringComparison.OrdinalIgnoreCase)) s = true;
            else if (a.Equals("/q", StringComparison.OrdinalIgnoreCase)) q = true;
            else if (IsUrl(a)) url = true;
        }
        if (verb == "start" && url) reason = "cmd start opens a URL outside the sandbox";
        else if (verb is "del" or "erase" && f) reason = "cmd " + verb + " /f force-deletes files";
        else if (verb is "rd" or "rmdir" && s && q) reason = "cmd " + verb + " /s /q deletes a tree without asking";
        return reason.Length > 0;
    }

    private static bool IsGuiLauncher(string name) => name is "explorer" or "explorer.exe" or "mshta" or "mshta.exe"
        or "chrome" or "chrome.exe" or "msedge" or "msedge.exe" or "firefox" or "firefox.exe" or "iexplore" or "iexplore.exe";

    /// <summary>An http(s) URL with a host, after trimming quotes, parentheses and <c>;</c>.</summary>
    public static bool IsUrl(string token)
    {
        if (token.IndexOf("http", StringComparison.OrdinalIgnoreCase) < 0) return false;
        var t = token.Trim('\'', '"', '(', ')', ';', '`');
        int p = t.IndexOf("http", StringComparison.OrdinalIgnoreCase);
        if (p > 0) t = t.Substring(p); // Start-Process('https://…') arrives as one token
        return Uri.TryCreate(t, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0;
    }
}
