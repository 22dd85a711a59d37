using System.Text;

namespace CodexSandbox.Engine.Analysis;

/// <summary>Recognises <c>bash -lc "…"</c> and <c>pwsh -Command "…"</c> wrappers and returns the script inside.</summary>
public static class ShellWrapper
{
    /// <summary>
    /// §4.2.1: exactly three elements <c>[shell, -lc|-c, script]</c> where the shell is bash, zsh or sh by name or path stem.
    /// </summary>
    public static bool TryGetPosixScript(IReadOnlyList<string> argv, out string script)
    {
        script = "";
        if (argv.Count != 3) return false;
        if (argv[1] != "-lc" && argv[1] != "-c") return false;
        if (!ExecutableName.IsPosixShell(argv[0])) return false;
        script = argv[2];
        return true;
    }

    /// <summary>
    /// §4.3 flag table: the script of <c>pwsh|powershell[.exe] [-NoLogo|-NoProfile|-NonInteractive|-MTA|-STA]… -Command|-c|/Command &lt;script&gt;</c>,
    /// or of the bare words after the flags. Returns false for anything else (including <c>-EncodedCommand</c>, <c>-File</c> and unknown flags).
    /// </summary>
    public static bool TryGetPowerShellScript(IReadOnlyList<string> argv, out string script)
    {
        script = "";
        if (argv.Count < 2 || !ExecutableName.IsPowerShell(argv[0])) return false;
        for (int i = 1; i < argv.Count; i++)
        {
            var arg = argv[i];
            if (arg.Equals("-Command", StringComparison.OrdinalIgnoreCase) || arg.Equals("/Command", StringComparison.OrdinalIgnoreCase)
                || arg.Equals("-c", StringComparison.OrdinalIgnoreCase))
            {
                if (i + 2 != argv.Count) return false; // the script must be the last argument
                script = argv[i + 1];
                return true;
            }
            if (arg.StartsWith("-Command:", StringComparison.OrdinalIgnoreCase) || arg.StartsWith("/Command:", StringComparison.OrdinalIgnoreCase))
            {
                if (i + 1 != argv.Count) return false;
                script = arg.Substring("-Command:".Length);
                return true;
            }
            if (arg.Equals("-NoLogo", StringComparison.OrdinalIgnoreCase) || arg.Equals("-NoProfile", StringComparison.OrdinalIgnoreCase)
                || arg.Equals("-NonInteractive", StringComparison.OrdinalIgnoreCase) || arg.Equals("-MTA", StringComparison.OrdinalIgnoreCase)
                || arg.Equals("-STA", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (arg.StartsWith('-') || arg.Equals("/File", StringComparison.OrdinalIgnoreCase)) return false; // -EncodedCommand, -File, -ExecutionPolicy, any other flag
            script = JoinBareWords(argv, i);
            return true;
        }
        return false;
    }

    private static string JoinBareWords(IReadOnlyList<string> argv, int from)
    {
        var sb = new StringBuilder();
        for (int i = from; i < argv.Count; i++)
        {
            if (i > from) sb.Append(' ');
            var a = argv[i];
            if (a.Length == 0 || a.AsSpan().IndexOfAny(" \t\r\n") >= 0) sb.Append('\'').Append(a.Replace("'", "''")).Append('\'');
            else sb.Append(a);
        }
        return sb.ToString();
    }
}
