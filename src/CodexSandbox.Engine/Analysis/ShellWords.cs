using System.Text;

namespace CodexSandbox.Engine.Analysis;

/// <summary>shlex-style splitting and quoting, for example values and for rendering commands in messages.</summary>
public static class ShellWords
{
    /// <summary>Splits on blanks with POSIX quotes and backslashes; returns null on an unterminated quote.</summary>
    public static List<string>? Split(string text)
    {
        var words = new List<string>();
        var sb = new StringBuilder();
        bool inWord = false;
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c is ' ' or '\t' or '\n' or '\r')
            {
                if (inWord) { words.Add(sb.ToString()); sb.Clear(); inWord = false; }
                i++;
                continue;
            }
            inWord = true;
            if (c == '\\' && i + 1 < text.Length) { sb.Append(text[i + 1]); i += 2; continue; }
            if (c == '\'')
            {
                int close = text.IndexOf('\'', i + 1);
                if (close < 0) return null;
                sb.Append(text, i + 1, close - i - 1);
                i = close + 1;
                continue;
            }
            if (c == '"')
            {
                i++;
                while (true)
                {
                    if (i >= text.Length) return null;
                    char d = text[i];
                    if (d == '"') { i++; break; }
                    if (d == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`') { sb.Append(text[i + 1]); i += 2; continue; }
                    sb.Append(d);
                    i++;
                }
                continue;
            }
            sb.Append(c);
            i++;
        }
        if (inWord) words.Add(sb.ToString());
        return words;
    }

    /// <summary>Like <see cref="Split"/>, but an unterminated quote falls back to splitting on blanks.</summary>
    public static List<string> SplitLenient(string text)
        => Split(text) ?? new List<string>(text.Split([' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Quotes one word so a POSIX shell reads it back unchanged.</summary>
    public static string Quote(string word)
    {
        if (word.Length == 0) return "''";
        foreach (char c in word)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '=' or '+' or ',' or '@' or '%'))
            {
                return ForceQuote(word);
            }
        }
        return word;
    }

    private static string ForceQuote(string word) => "'" + word.Replace("'", "'\"'\"'") + "'";

    /// <summary>The argv rendered as one shell line.</summary>
    public static string Join(IReadOnlyList<string> argv)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < argv.Count; i++)
        {
            if (i > 0) sb.Append(' ');
            var w = argv[i];
            // a leading keyword or NAME=value would change meaning unquoted
            if (i == 0 && (PosixScriptParser.IsReservedWord(w) || PosixScriptParser.IsAssignment(w))) sb.Append(ForceQuote(w));
            else sb.Append(Quote(w));
        }
        return sb.ToString();
    }
}
