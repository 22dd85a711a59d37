using System.Text;

namespace CodexSandbox.Engine.Analysis;

/// <summary>Codex's approval cache key (codex-behaviour.md §4.2.4), rendered as a JSON array of strings.</summary>
public static class CanonicalKey
{
    public const string ShellScriptMarker = "__codex_shell_script__";
    public const string PowerShellScriptMarker = "__codex_powershell_script__";

    /// <summary>A single plain command: its argv, so spacing and the wrapper do not matter.</summary>
    public static string ForArgv(IReadOnlyList<string> argv) => Json(argv);

    /// <summary>Any other POSIX script.</summary>
    public static string ForShellScript(string script) => Json([ShellScriptMarker, "-lc", script]);

    public static string ForPowerShellScript(string script) => Json([PowerShellScriptMarker, script]);

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
