using CodexSandbox.Engine.Analysis;
using System.Text;

namespace CodexSandbox.Engine.Rules;

/// <summary>
/// "Yes, and don't ask again for commands that start with …": appends an allow <c>prefix_rule</c> to a rules file
/// (normally <c>$CODEX_HOME/rules/default.rules</c>) the way Codex does (execpolicy.md §3).
/// </summary>
public static class RuleAmendments
{
    private static readonly HashSet<string> Banned = new(StringComparer.Ordinal)
    {
        "python3", "python3 -", "python3 -c", "python", "python -", "python -c", "py", "py -3", "pythonw", "pyw", "pypy", "pypy3",
        "git", "bash", "bash -lc", "sh", "sh -c", "sh -lc", "zsh", "zsh -lc", "/bin/zsh", "/bin/zsh -lc", "/bin/bash", "/bin/bash -lc",
        "pwsh", "pwsh -Command", "pwsh -c", "powershell", "powershell -Command", "powershell -c", "powershell.exe",
        "powershell.exe -Command", "powershell.exe -c", "env", "sudo", "node", "node -e", "perl", "perl -e", "ruby", "ruby -e",
        "php", "php -r", "lua", "lua -e", "osascript",
    };

    /// <summary>True for prefixes Codex never proposes (interpreters, shells, <c>env</c>, <c>sudo</c>, bare <c>git</c>).</summary>
    public static bool IsBannedPrefix(IReadOnlyList<string> prefix) => prefix.Count == 0 || Banned.Contains(string.Join(' ', prefix));

    /// <summary>The rule line written for <paramref name="prefix"/>.</summary>
    public static string FormatAllowRule(IReadOnlyList<string> prefix)
    {
        var sb = new StringBuilder("prefix_rule(pattern=[");
        for (int i = 0; i < prefix.Count; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.AppendQuoted(prefix[i]);
        }
        return sb.Append("], decision=\"allow\")").ToString();
    }

    /// <summary>
    /// Appends the allow rule under an exclusive lock, creating folders as needed, adding a newline first when the file
    /// does not end with one, and skipping an exact duplicate. Returns false when the rule was already there.
    /// </summary>
    public static bool AppendAllowPrefixRule(string rulesFile, IReadOnlyList<string> prefix)
    {
        if (prefix.Count == 0) throw new ArgumentException("An allow rule needs a non-empty prefix.", nameof(prefix));
        var line = FormatAllowRule(prefix);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(rulesFile))!);
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                using var stream = new FileStream(rulesFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                string existing;
                using (var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true))
                {
                    existing = reader.ReadToEnd();
                }
                foreach (var l in existing.Split('\n'))
                {
                    if (l.TrimEnd('\r') == line) return false;
                }
                stream.Seek(0, SeekOrigin.End);
                var text = (existing.Length > 0 && !existing.EndsWith('\n') ? "\n" : "") + line + "\n";
                var bytes = new UTF8Encoding(false).GetBytes(text);
                stream.Write(bytes, 0, bytes.Length);
                return true;
            }
            catch (IOException) when (attempt < 50)
            {
                // another writer holds the lock
                Thread.Sleep(20);
            }
        }
    }
}
