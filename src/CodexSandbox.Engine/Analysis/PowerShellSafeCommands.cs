namespace CodexSandbox.Engine.Analysis;

/// <summary>The per-command PowerShell safe list of codex-behaviour.md §4.3 (case-insensitive).</summary>
public static class PowerShellSafeCommands
{
    /// <summary>True when one parsed PowerShell command (name and arguments) is read-only per the safe list.</summary>
    public static bool IsSafe(IReadOnlyList<string> words)
    {
        if (words.Count == 0) return false;
        foreach (var w in words)
        {
            var t = w.Trim('(', ')').TrimStart('-');
            if (IsWriting(t)) return false;
        }
        var name = words[0].Trim('(', ')').ToLowerInvariant();
        switch (name)
        {
            case "echo": case "write-output": case "write-host": case "dir": case "ls": case "get-childitem": case "gci":
            case "cat": case "type": case "gc": case "get-content": case "select-string": case "sls": case "findstr":
            case "measure-object": case "measure": case "get-location": case "gl": case "pwd": case "test-path": case "tp":
            case "resolve-path": case "rvpa": case "select-object": case "select": case "get-item":
                return true;
            case "git":
                // the same check as for an argv (Codex shares it too); `cat-file` left the list (Codex #21275)
                return KnownSafeCommands.IsReadOnlyGit(words);
            case "rg":
                for (int i = 1; i < words.Count; i++)
                {
                    var a = words[i].ToLowerInvariant();
                    if (a is "--pre" or "--hostname-bin" or "--search-zip" or "-z"
                        || a.StartsWith("--pre=", StringComparison.Ordinal) || a.StartsWith("--hostname-bin=", StringComparison.Ordinal)) return false;
                }
                return true;
            default:
                return false;
        }
    }

    private static bool IsWriting(string word) =>
        word.Equals("set-content", StringComparison.OrdinalIgnoreCase) || word.Equals("add-content", StringComparison.OrdinalIgnoreCase)
        || word.Equals("out-file", StringComparison.OrdinalIgnoreCase) || word.Equals("new-item", StringComparison.OrdinalIgnoreCase)
        || word.Equals("remove-item", StringComparison.OrdinalIgnoreCase) || word.Equals("move-item", StringComparison.OrdinalIgnoreCase)
        || word.Equals("copy-item", StringComparison.OrdinalIgnoreCase) || word.Equals("rename-item", StringComparison.OrdinalIgnoreCase)
        || word.Equals("start-process", StringComparison.OrdinalIgnoreCase) || word.Equals("stop-process", StringComparison.OrdinalIgnoreCase);
}
