using System.Globalization;
using System.Text;

namespace CodexSandbox.Engine.Rules;

/// <summary>Tokens of the Starlark subset used by <c>.rules</c> files: names, strings (with escapes), integers, punctuation, comments.</summary>
internal static class RulesLexer
{
    public static List<RulesToken> Lex(string path, string text)
    {
        var tokens = new List<RulesToken>();
        int i = 0, line = 1, lineStart = 0;
        int n = text.Length;
        while (i < n)
        {
            char c = text[i];
            int col = i - lineStart + 1;
            if (c == '\n') { i++; line++; lineStart = i; continue; }
            if (c is ' ' or '\t' or '\r') { i++; continue; }
            if (c == '\\' && i + 1 < n && text[i + 1] == '\n') { i += 2; line++; lineStart = i; continue; }
            if (c == '#') { while (i < n && text[i] != '\n') i++; continue; }
            switch (c)
            {
                case '(': tokens.Add(new(RulesTokenKind.LParen, "(", 0, line, col)); i++; continue;
                case ')': tokens.Add(new(RulesTokenKind.RParen, ")", 0, line, col)); i++; continue;
                case '[': tokens.Add(new(RulesTokenKind.LBracket, "[", 0, line, col)); i++; continue;
                case ']': tokens.Add(new(RulesTokenKind.RBracket, "]", 0, line, col)); i++; continue;
                case ',': tokens.Add(new(RulesTokenKind.Comma, ",", 0, line, col)); i++; continue;
                case '=': tokens.Add(new(RulesTokenKind.Equals, "=", 0, line, col)); i++; continue;
                case '+': tokens.Add(new(RulesTokenKind.Plus, "+", 0, line, col)); i++; continue;
                case ';': tokens.Add(new(RulesTokenKind.Semicolon, ";", 0, line, col)); i++; continue;
            }
            bool raw = false;
            if ((c is 'r' or 'R') && i + 1 < n && text[i + 1] is '"' or '\'')
            {
                raw = true;
                i++;
                c = text[i];
            }
            else if ((c is 'f' or 'F' or 'b' or 'B') && i + 1 < n && text[i + 1] is '"' or '\'')
            {
                throw new RulesParseException(path, line, col, "SyntaxError", $"{c}-strings are not supported in rules files");
            }
            if (c is '"' or '\'')
            {
                int startLine = line;
                tokens.Add(new(RulesTokenKind.String, ReadString(path, text, ref i, ref line, ref lineStart, raw, col), 0, startLine, col));
                continue;
            }
            if (char.IsAsciiDigit(c))
            {
                int start = i;
                while (i < n && char.IsAsciiDigit(text[i])) i++;
                if (!long.TryParse(text.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                {
                    throw new RulesParseException(path, line, col, "SyntaxError", "integer literal is too large");
                }
                tokens.Add(new(RulesTokenKind.Integer, text.Substring(start, i - start), number, line, col));
                continue;
            }
            if (char.IsAsciiLetter(c) || c == '_')
            {
                int start = i;
                while (i < n && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_')) i++;
                tokens.Add(new(RulesTokenKind.Identifier, text.Substring(start, i - start), 0, line, col));
                continue;
            }
            throw new RulesParseException(path, line, col, "SyntaxError", $"unexpected character '{c}'");
        }
        tokens.Add(new(RulesTokenKind.End, "", 0, line, i - lineStart + 1));
        return tokens;
    }

    private static string ReadString(string path, string text, ref int i, ref int line, ref int lineStart, bool raw, int col)
    {
        int n = text.Length;
        char quote = text[i];
        bool triple = i + 2 < n && text[i + 1] == quote && text[i + 2] == quote;
        int startLine = line;
        i += triple ? 3 : 1;
        var sb = new StringBuilder();
        while (true)
        {
            if (i >= n) throw new RulesParseException(path, startLine, col, "SyntaxError", "unterminated string literal");
            char c = text[i];
            if (c == quote)
            {
                if (!triple) { i++; return sb.ToString(); }
                if (i + 2 < n && text[i + 1] == quote && text[i + 2] == quote) { i += 3; return sb.ToString(); }
            }
            if (c == '\n')
            {
                if (!triple) throw new RulesParseException(path, startLine, col, "SyntaxError", "unterminated string literal");
                line++;
                lineStart = i + 1;
            }
            if (c == '\\' && i + 1 < n)
            {
                char e = text[i + 1];
                if (raw)
                {
                    // a raw string keeps the backslash; it still cannot end the string
                    sb.Append('\\').Append(e);
                    i += 2;
                    continue;
                }
                i += 2;
                switch (e)
                {
                    case 'n': sb.Append('\n'); continue;
                    case 't': sb.Append('\t'); continue;
                    case 'r': sb.Append('\r'); continue;
                    case 'a': sb.Append('\a'); continue;
                    case 'b': sb.Append('\b'); continue;
                    case 'f': sb.Append('\f'); continue;
                    case 'v': sb.Append('\v'); continue;
                    case '\\': sb.Append('\\'); continue;
                    case '\'': sb.Append('\''); continue;
                    case '"': sb.Append('"'); continue;
                    case '\n': line++; lineStart = i; continue;
                    case 'x':
                        sb.Append((char)ReadHex(path, text, ref i, 2, line, col));
                        continue;
                    case 'u':
                        sb.Append((char)ReadHex(path, text, ref i, 4, line, col));
                        continue;
                    case 'U':
                        sb.Append(char.ConvertFromUtf32(ReadHex(path, text, ref i, 8, line, col)));
                        continue;
                    case >= '0' and <= '7':
                        int value = e - '0';
                        for (int k = 0; k < 2 && i < n && text[i] is >= '0' and <= '7'; k++) value = value * 8 + (text[i++] - '0');
                        sb.Append((char)value);
                        continue;
                    default:
                        throw new RulesParseException(path, line, col, "SyntaxError", $"invalid escape sequence \\{e}");
                }
            }
            sb.Append(c);
            i++;
        }
    }

    private static int ReadHex(string path, string text, ref int i, int digits, int line, int col)
    {
        if (i + digits > text.Length || !int.TryParse(text.AsSpan(i, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v)
            || v > 0x10FFFF)
        {
            throw new RulesParseException(path, line, col, "SyntaxError", "invalid hexadecimal escape");
        }
        i += digits;
        return v;
    }
}
