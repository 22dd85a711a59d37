using System.Text;

namespace CodexSandbox.Engine.Analysis;

/// <summary>
/// The key a "yes to all" approval is remembered under, shaped like Codex's approval cache key (codex-behaviour.md
/// §4.2.4) and rendered as a JSON array of strings. It is shown to users (CommandAssessment.CanonicalKey), so a script
/// is spelled as the shell that runs it (<c>["sh","-c","ls &amp;&amp; pwd"]</c>) where Codex writes an internal marker
/// (<c>__codex_shell_script__</c>). Like the marker, the spelling is the same for every POSIX shell and every
/// PowerShell, so approving <c>bash -lc 'a &amp;&amp; b'</c> also covers <c>sh -c 'a &amp;&amp; b'</c>.
/// </summary>
public static class CanonicalKey
{
    public const string ShellScriptProgram = "sh";
    public const string PowerShellScriptProgram = "pwsh";

    /// <summary>A single plain command: its argv, so spacing and the wrapper do not matter.</summary>
    public static string ForArgv(IReadOnlyList<string> argv) => Json(argv);

    /// <summary>Any other POSIX script.</summary>
    public static string ForShellScript(string script) => Json([ShellScriptProgram, "-c", script]);

    public static string ForPowerShellScript(string script) => Json([PowerShellScriptProgram, "-Command", script]);

    private static string Json(IReadOnlyList<string> items)
    {
        var sb = new StringBuilder(64);
        sb.Append('[');
        for (int i = 0; i < items.Count; i++)
        {
            if (i > 0) sb.Append(',');
            sb.AppendQuoted(items[i]);
        }
        return sb.Append(']').ToString();
    }
}
