namespace CodexSandbox.Engine.Analysis;

/// <summary>
/// Turns a POSIX shell script into argv lists, the way Codex reads <c>bash -lc "…"</c> scripts (codex-behaviour.md §4.2).
/// </summary>
public static class PosixScriptParser
{
    [ThreadStatic] private static List<PosixToken>? t_tokens;

    private const int MaxLenientDepth = 8;

    /// <summary>
    /// The word-only commands of <paramref name="script"/> (§4.2.2): only words, quotes, <c>&amp;&amp;</c>, <c>||</c>,
    /// <c>;</c>, <c>|</c> and newlines. Anything else (expansions, redirections, subshells, assignments, background jobs,
    /// comments, compound commands, dangling operators) returns false.
    /// </summary>
    public static bool TryParsePlainCommands(string script, List<string[]> commands)
    {
        var tokens = Rent();
        if (!PosixLexer.Lex(script, tokens, lenient: false, substitutions: null)) return false;
        int firstCommand = commands.Count;
        var current = new List<string>(8);
        bool pendingOperator = false;
        foreach (ref readonly var t in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(tokens))
        {
            switch (t.Kind)
            {
                case PosixTokenKind.Word:
                    if (!t.Plain) return Fail(commands, firstCommand);
                    if (current.Count == 0 && !t.Quoted && (IsReservedWord(t.Text) || IsAssignment(t.Text))) return Fail(commands, firstCommand);
                    current.Add(t.Text);
                    pendingOperator = false;
                    break;
                case PosixTokenKind.AndIf:
                case PosixTokenKind.OrIf:
                case PosixTokenKind.Pipe:
                    if (current.Count == 0) return Fail(commands, firstCommand);
                    commands.Add(current.ToArray());
                    current.Clear();
                    pendingOperator = true;
                    break;
                case PosixTokenKind.Semi:
                    if (current.Count == 0) return Fail(commands, firstCommand);
                    commands.Add(current.ToArray());
                    current.Clear();
                    break;
                case PosixTokenKind.Newline:
                    if (current.Count > 0)
                    {
                        commands.Add(current.ToArray());
                        current.Clear();
                    }
                    break;
                default:
                    return Fail(commands, firstCommand);
            }
        }
        if (pendingOperator) return Fail(commands, firstCommand);
        if (current.Count > 0) commands.Add(current.ToArray());
        return commands.Count > firstCommand || Fail(commands, firstCommand);
    }

    /// <summary>
    /// The argv of the single command of a heredoc script such as <c>python3 &lt;&lt;'PY' … PY</c> (§4.2.3), or null.
    /// Several commands, no heredoc, a file redirection besides the heredoc (<c>cat &lt;&lt;'EOF' &gt; out.txt</c> writes a
    /// file its prefix does not show), a variable assignment, a here-string or word with an expansion, or an
    /// unquoted-delimiter body containing a command substitution give null (Codex #20113).
    /// </summary>
    public static string[]? TryParseHeredocCommand(string script)
    {
        var tokens = Rent();
        if (!PosixLexer.Lex(script, tokens, lenient: false, substitutions: null)) return null;
        var words = new List<string>(4);
        bool sawHeredoc = false, ended = false, expectTarget = false;
        foreach (var t in tokens)
        {
            switch (t.Kind)
            {
                case PosixTokenKind.Word:
                    if (!t.Plain || ended) return null;
                    if (expectTarget) { expectTarget = false; break; }
                    if (words.Count == 0 && !t.Quoted && (IsReservedWord(t.Text) || IsAssignment(t.Text))) return null;
                    words.Add(t.Text);
                    break;
                case PosixTokenKind.Redirect:
                    return null;
                case PosixTokenKind.HereString:
                    if (expectTarget || ended) return null;
                    expectTarget = true;
                    break;
                case PosixTokenKind.Heredoc:
                    if (expectTarget || ended || !t.Plain) return null;
                    sawHeredoc = true;
                    break;
                case PosixTokenKind.Newline:
                case PosixTokenKind.Semi:
                    if (expectTarget) return null;
                    if (words.Count > 0) ended = true;
                    break;
                default:
                    return null;
            }
        }
        return sawHeredoc && !expectTarget && words.Count > 0 ? words.ToArray() : null;
    }

    /// <summary>
    /// A best-effort split used only to look for dangerous commands: never fails, keeps expansions as literal text,
    /// drops redirections and assignments, skips keywords, and descends into command substitutions and into
    /// heredoc bodies fed to a shell.
    /// </summary>
    public static List<string[]> SplitLenient(string script)
    {
        var result = new List<string[]>();
        SplitLenient(script, result, 0);
        return result;
    }

    private static void SplitLenient(string script, List<string[]> result, int depth)
    {
        var tokens = new List<PosixToken>(16);
        var substitutions = new List<string>();
        PosixLexer.Lex(script, tokens, lenient: true, substitutions);
        var current = new List<string>(8);
        List<string>? bodies = null;
        bool expectTarget = false;
        foreach (var t in tokens)
        {
            switch (t.Kind)
            {
                case PosixTokenKind.Word:
                    if (expectTarget) { expectTarget = false; break; }
                    if (current.Count == 0 && !t.Quoted && (IsReservedWord(t.Text) || IsAssignment(t.Text))) break;
                    current.Add(t.Text);
                    break;
                case PosixTokenKind.Redirect:
                case PosixTokenKind.HereString:
                    expectTarget = true;
                    break;
                case PosixTokenKind.Heredoc:
                    if (t.Body is not null) (bodies ??= []).Add(t.Body);
                    break;
                default:
                    expectTarget = false;
                    Flush(current, ref bodies, result, depth);
                    break;
            }
        }
        Flush(current, ref bodies, result, depth);
        if (depth < MaxLenientDepth)
        {
            foreach (var sub in substitutions) SplitLenient(sub, result, depth + 1);
        }
    }

    /// <summary>
    /// The literal file names after output redirections (<c>&gt;</c>, <c>&gt;&gt;</c>, <c>&amp;&gt;</c>, <c>&gt;|</c>) in
    /// <paramref name="script"/>, for the write-target check. Descriptor duplications (<c>2&gt;&amp;1</c>), targets with
    /// expansions and the <c>/dev</c> streams are left out.
    /// </summary>
    public static List<string> OutputRedirectTargets(string script)
    {
        var result = new List<string>();
        var tokens = new List<PosixToken>(16);
        PosixLexer.Lex(script, tokens, lenient: true, substitutions: null);
        for (int i = 0; i + 1 < tokens.Count; i++)
        {
            if (tokens[i].Kind != PosixTokenKind.Redirect || tokens[i].Text == "<") continue;
            var target = tokens[i + 1];
            if (target.Kind != PosixTokenKind.Word || !target.Plain || target.Text.Length == 0) continue;
            if (target.Text == "-" || target.Text.All(char.IsAsciiDigit)) continue;
            if (target.Text is "/dev/null" or "/dev/stdout" or "/dev/stderr" or "/dev/tty" || target.Text.StartsWith("/dev/fd/", StringComparison.Ordinal)) continue;
            result.Add(target.Text);
        }
        return result;
    }

    private static void Flush(List<string> current, ref List<string>? bodies, List<string[]> result, int depth)
    {
        if (current.Count == 0) return;
        var argv = current.ToArray();
        result.Add(argv);
        current.Clear();
        if (bodies is null) return;
        // `bash <<EOF … EOF` runs the body as a script
        if (depth < MaxLenientDepth && ExecutableName.IsPosixShell(argv[0]))
        {
            foreach (var body in bodies) SplitLenient(body, result, depth + 1);
        }
        bodies = null;
    }

    private static List<PosixToken> Rent()
    {
        var tokens = t_tokens ??= new List<PosixToken>(32);
        tokens.Clear();
        return tokens;
    }

    private static bool Fail(List<string[]> commands, int firstCommand)
    {
        commands.RemoveRange(firstCommand, commands.Count - firstCommand);
        return false;
    }

    /// <summary>Words that start compound commands or change how the next command runs.</summary>
    internal static bool IsReservedWord(string w) => w switch
    {
        "if" or "then" or "else" or "elif" or "fi" or "case" or "esac" or "for" or "while" or "until" or "do" or "done"
            or "function" or "select" or "time" or "coproc" or "{" or "}" or "!" or "[[" or "]]" or "[" => true,
        _ => false,
    };

    /// <summary><c>NAME=value</c> or <c>NAME+=value</c> at the start of a command.</summary>
    internal static bool IsAssignment(string w)
    {
        if (w.Length < 2 || !(char.IsAsciiLetter(w[0]) || w[0] == '_')) return false;
        for (int k = 1; k < w.Length; k++)
        {
            char c = w[k];
            if (c == '=' || (c == '+' && k + 1 < w.Length && w[k + 1] == '=')) return true;
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_')) return false;
        }
        return false;
    }
}
