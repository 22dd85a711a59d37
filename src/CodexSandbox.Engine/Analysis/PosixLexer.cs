using System.Text;

namespace CodexSandbox.Engine.Analysis;

/// <summary>
/// A hand-written POSIX/bash lexer: quotes, escapes, operators, redirections and heredocs.
/// It is a character loop with one reused buffer, because the analyzer must handle hundreds of thousands of lines a second.
/// </summary>
internal static class PosixLexer
{
    [ThreadStatic] private static StringBuilder? t_buffer;

    private struct PendingHeredoc
    {
        public int TokenIndex;
        public string Delimiter;
        public bool QuotedDelimiter;
        public bool StripTabs;
    }

    /// <summary>
    /// Splits <paramref name="s"/> into tokens. Strict mode fails (returns false) on unterminated quotes,
    /// substitutions or heredocs; lenient mode never fails and ends the open construct at the end of input.
    /// The bodies of <c>$( )</c>, backticks and process substitutions go to <paramref name="substitutions"/> when given.
    /// </summary>
    public static bool Lex(string s, List<PosixToken> tokens, bool lenient, List<string>? substitutions)
    {
        var sb = t_buffer ??= new StringBuilder(64);
        PendingHeredoc[]? pending = null;
        int pendingCount = 0;
        int n = s.Length;
        int i = 0;
        while (i < n)
        {
            char c = s[i];
            switch (c)
            {
                case ' ':
                case '\t':
                case '\r':
                    i++;
                    continue;
                case '\\' when i + 1 < n && s[i + 1] == '\n':
                    i += 2; // line continuation
                    continue;
                case '#':
                    while (i < n && s[i] != '\n') i++;
                    // a comment is not part of a plain script; strict callers see it through this marker token
                    if (!lenient) tokens.Add(new PosixToken { Kind = PosixTokenKind.Word, Text = "#", Plain = false, Quoted = true });
                    continue;
                case '\n':
                    tokens.Add(new PosixToken { Kind = PosixTokenKind.Newline, Text = "\n" });
                    i++;
                    if (pendingCount > 0)
                    {
                        for (int p = 0; p < pendingCount; p++)
                        {
                            if (!ReadHeredocBody(s, ref i, pending![p], tokens)) return false;
                        }
                        pendingCount = 0;
                    }
                    continue;
                case ';':
                    if (i + 1 < n && (s[i + 1] == ';' || s[i + 1] == '&'))
                    {
                        i += 2;
                        if (i < n && s[i] == '&') i++;
                        Add(tokens, PosixTokenKind.CaseEnd, ";;");
                    }
                    else { i++; Add(tokens, PosixTokenKind.Semi, ";"); }
                    continue;
                case '&':
                    if (i + 1 < n && s[i + 1] == '&') { i += 2; Add(tokens, PosixTokenKind.AndIf, "&&"); }
                    else if (i + 1 < n && s[i + 1] == '>')
                    {
                        i += 2;
                        if (i < n && s[i] == '>') i++;
                        Add(tokens, PosixTokenKind.Redirect, "&>");
                    }
                    else { i++; Add(tokens, PosixTokenKind.Background, "&"); }
                    continue;
                case '|':
                    if (i + 1 < n && s[i + 1] == '|') { i += 2; Add(tokens, PosixTokenKind.OrIf, "||"); }
                    else if (i + 1 < n && s[i + 1] == '&') { i += 2; Add(tokens, PosixTokenKind.PipeAmp, "|&"); }
                    else { i++; Add(tokens, PosixTokenKind.Pipe, "|"); }
                    continue;
                case '(':
                    i++;
                    Add(tokens, PosixTokenKind.LParen, "(");
                    continue;
                case ')':
                    i++;
                    Add(tokens, PosixTokenKind.RParen, ")");
                    continue;
                case '<':
                case '>':
                    if (i + 1 < n && s[i + 1] == '(')
                    {
                        // process substitution <( ) / >( ): a non-plain word
                        int start = i + 2;
                        if (!SkipBalanced(s, ref i, 1, lenient)) return false;
                        substitutions?.Add(s.Substring(start, Math.Max(0, i - 1 - start)));
                        tokens.Add(new PosixToken { Kind = PosixTokenKind.Word, Text = "<(...)", Plain = false, Quoted = true });
                        continue;
                    }
                    if (c == '<' && i + 1 < n && s[i + 1] == '<')
                    {
                        if (i + 2 < n && s[i + 2] == '<') { i += 3; Add(tokens, PosixTokenKind.HereString, "<<<"); continue; }
                        i += 2;
                        bool strip = false;
                        if (i < n && s[i] == '-') { strip = true; i++; }
                        while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
                        int before = tokens.Count;
                        if (!ReadWord(s, ref i, sb, tokens, lenient, substitutions)) return false;
                        if (tokens.Count == before)
                        {
                            if (!lenient) return false; // << with no delimiter
                            continue;
                        }
                        var delim = tokens[before];
                        tokens.RemoveAt(before);
                        tokens.Add(new PosixToken { Kind = PosixTokenKind.Heredoc, Text = delim.Text, Plain = true });
                        pending ??= new PendingHeredoc[2];
                        if (pendingCount == pending.Length) Array.Resize(ref pending, pendingCount * 2);
                        pending[pendingCount++] = new PendingHeredoc
                        {
                            TokenIndex = tokens.Count - 1,
                            Delimiter = delim.Text,
                            QuotedDelimiter = delim.Quoted,
                            StripTabs = strip,
                        };
                        continue;
                    }
                    i++;
                    if (i < n && (s[i] == '>' || s[i] == '&' || s[i] == '|' || (c == '<' && s[i] == '>'))) i++;
                    Add(tokens, PosixTokenKind.Redirect, c == '<' ? "<" : ">");
                    continue;
                default:
                    if (!ReadWord(s, ref i, sb, tokens, lenient, substitutions)) return false;
                    continue;
            }
        }
        // a heredoc whose body never started (no newline after the operator line)
        return pendingCount == 0 || lenient;
    }

    private static void Add(List<PosixToken> tokens, PosixTokenKind kind, string text)
        => tokens.Add(new PosixToken { Kind = kind, Text = text, Plain = true });

    private static bool ReadWord(string s, ref int i, StringBuilder sb, List<PosixToken> tokens, bool lenient, List<string>? substitutions)
    {
        sb.Clear();
        bool plain = true, quoted = false;
        int n = s.Length;
        int start = i;
        while (i < n)
        {
            char c = s[i];
            if (c is ' ' or '\t' or '\r' or '\n' or ';' or '&' or '|' or '(' or ')' or '<' or '>') break;
            if (c == '\\')
            {
                if (i + 1 >= n) { sb.Append('\\'); i++; continue; }
                if (s[i + 1] == '\n') { i += 2; continue; }
                sb.Append(s[i + 1]);
                quoted = true;
                i += 2;
                continue;
            }
            if (c == '\'')
            {
                int close = s.IndexOf('\'', i + 1);
                if (close < 0)
                {
                    if (!lenient) return false;
                    close = n;
                }
                sb.Append(s, i + 1, close - i - 1);
                quoted = true;
                i = Math.Min(n, close + 1);
                continue;
            }
            if (c == '"')
            {
                quoted = true;
                i++;
                bool closed = false;
                while (i < n)
                {
                    char d = s[i];
                    if (d == '"') { i++; closed = true; break; }
                    if (d == '\\' && i + 1 < n)
                    {
                        char e = s[i + 1];
                        if (e == '\n') { i += 2; continue; }
                        if (e is '$' or '`' or '"' or '\\') { sb.Append(e); i += 2; continue; }
                        sb.Append('\\');
                        i++;
                        continue;
                    }
                    if (d == '$' || d == '`')
                    {
                        plain = false;
                        if (!ReadExpansion(s, ref i, sb, lenient, substitutions)) return false;
                        continue;
                    }
                    sb.Append(d);
                    i++;
                }
                if (!closed && !lenient) return false;
                continue;
            }
            if (c == '$' || c == '`')
            {
                plain = false;
                if (!ReadExpansion(s, ref i, sb, lenient, substitutions)) return false;
                continue;
            }
            sb.Append(c);
            i++;
        }
        if (i == start) return true;
        // an unquoted all-digit word directly before a redirection is its file descriptor, not an argument
        if (!quoted && i < n && (s[i] == '<' || s[i] == '>') && IsAllDigits(sb)) return true;
        tokens.Add(new PosixToken { Kind = PosixTokenKind.Word, Text = sb.ToString(), Plain = plain, Quoted = quoted });
        return true;
    }

    private static bool IsAllDigits(StringBuilder sb)
    {
        if (sb.Length == 0) return false;
        for (int k = 0; k < sb.Length; k++) if (sb[k] < '0' || sb[k] > '9') return false;
        return true;
    }

    /// <summary>Copies a <c>$…</c> or backtick expansion into the word verbatim, collecting command substitutions.</summary>
    private static bool ReadExpansion(string s, ref int i, StringBuilder sb, bool lenient, List<string>? substitutions)
    {
        int n = s.Length;
        int start = i;
        if (s[i] == '`')
        {
            int close = i + 1;
            while (close < n && s[close] != '`') close += s[close] == '\\' ? 2 : 1;
            if (close >= n)
            {
                if (!lenient) return false;
                close = n;
            }
            substitutions?.Add(s.Substring(i + 1, Math.Min(close, n) - i - 1));
            i = Math.Min(n, close + 1);
        }
        else if (i + 1 < n && s[i + 1] == '(')
        {
            int bodyStart = i + 2;
            if (!SkipBalanced(s, ref i, 1, lenient)) return false;
            substitutions?.Add(s.Substring(bodyStart, Math.Max(0, i - 1 - bodyStart)));
        }
        else if (i + 1 < n && s[i + 1] == '{')
        {
            int close = s.IndexOf('}', i + 2);
            if (close < 0)
            {
                if (!lenient) return false;
                close = n - 1;
            }
            i = close + 1;
        }
        else
        {
            i++;
            while (i < n && (char.IsAsciiLetterOrDigit(s[i]) || s[i] == '_')) i++;
            if (i < n && i == start + 1 && s[i] is '?' or '#' or '@' or '*' or '!' or '$' or '-') i++;
        }
        sb.Append(s, start, Math.Min(i, n) - start);
        return true;
    }

    /// <summary>Advances past the parenthesis opened at <paramref name="i"/>+<paramref name="skip"/>, respecting quotes.</summary>
    private static bool SkipBalanced(string s, ref int i, int skip, bool lenient)
    {
        int n = s.Length;
        i += skip + 1;
        int depth = 1;
        while (i < n)
        {
            char c = s[i];
            if (c == '\\') { i += 2; continue; }
            if (c == '\'')
            {
                int close = s.IndexOf('\'', i + 1);
                if (close < 0) break;
                i = close + 1;
                continue;
            }
            if (c == '"')
            {
                i++;
                while (i < n && s[i] != '"') i += s[i] == '\\' ? 2 : 1;
                i++;
                continue;
            }
            if (c == '(') depth++;
            else if (c == ')' && --depth == 0) { i++; return true; }
            i++;
        }
        i = n;
        return lenient;
    }

    private static bool ReadHeredocBody(string s, ref int i, PendingHeredoc heredoc, List<PosixToken> tokens)
    {
        int n = s.Length;
        int bodyStart = i;
        bool expands = false;
        while (i <= n)
        {
            int eol = i < n ? s.IndexOf('\n', i) : -1;
            if (eol < 0) eol = n;
            int lineStart = i;
            if (heredoc.StripTabs) while (lineStart < eol && s[lineStart] == '\t') lineStart++;
            int lineEnd = eol > lineStart && s[eol - 1] == '\r' ? eol - 1 : eol;
            if (lineEnd - lineStart == heredoc.Delimiter.Length
                && string.CompareOrdinal(s, lineStart, heredoc.Delimiter, 0, heredoc.Delimiter.Length) == 0)
            {
                SetBody(tokens, heredoc.TokenIndex, s.Substring(bodyStart, i - bodyStart), !expands);
                i = Math.Min(n, eol + 1);
                return true;
            }
            if (!heredoc.QuotedDelimiter)
            {
                // an unquoted delimiter lets the body run $( ) and backticks
                for (int k = i; k < eol; k++)
                {
                    if (s[k] == '`' || (s[k] == '$' && k + 1 < eol && s[k + 1] == '(')) { expands = true; break; }
                }
            }
            if (eol >= n) break;
            i = eol + 1;
        }
        // bash accepts a body that runs to the end of input (with a warning)
        SetBody(tokens, heredoc.TokenIndex, s.Substring(bodyStart), !expands);
        i = n;
        return true;
    }

    private static void SetBody(List<PosixToken> tokens, int index, string body, bool plain)
    {
        var t = tokens[index];
        t.Body = body;
        t.Plain = plain;
        tokens[index] = t;
    }
}
