namespace CodexSandbox.Engine.Analysis;

/// <summary>
/// Guesses whether a command string is PowerShell or a POSIX shell line. Rule: PowerShell when the first word of the
/// line, or of any part after <c>|</c>, <c>;</c>, <c>&amp;</c>, a newline or a bracket, is a <c>Verb-Noun</c> cmdlet name
/// with a PowerShell verb (<c>Get-ChildItem</c>, <c>Remove-Item</c>, <c>ForEach-Object</c>…). Everything else is POSIX,
/// including lines that merely use <c>$</c> (both languages do).
/// </summary>
public static class ShellDetector
{
    private static readonly HashSet<string> Verbs = new(StringComparer.OrdinalIgnoreCase)
    {
        "Add", "Approve", "Assert", "Backup", "Block", "Build", "Checkpoint", "Clear", "Close", "Compare", "Complete", "Compress",
        "Confirm", "Connect", "Convert", "ConvertFrom", "ConvertTo", "Copy", "Debug", "Deny", "Deploy", "Disable", "Disconnect",
        "Dismount", "Edit", "Enable", "Enter", "Exit", "Expand", "Export", "Find", "ForEach", "Format", "Get", "Grant", "Group",
        "Hide", "Import", "Initialize", "Install", "Invoke", "Join", "Limit", "Lock", "Measure", "Merge", "Mount", "Move", "New",
        "Open", "Optimize", "Out", "Ping", "Pop", "Protect", "Publish", "Push", "Read", "Receive", "Redo", "Register", "Remove",
        "Rename", "Repair", "Request", "Reset", "Resize", "Resolve", "Restart", "Restore", "Resume", "Revoke", "Save", "Search",
        "Select", "Send", "Set", "Show", "Skip", "Sort", "Split", "Start", "Step", "Stop", "Submit", "Suspend", "Switch", "Sync",
        "Tee", "Test", "Trace", "Unblock", "Undo", "Uninstall", "Unlock", "Unprotect", "Unpublish", "Unregister", "Update", "Use",
        "Wait", "Watch", "Where", "Write",
    };

    public static ShellKind Detect(string command)
    {
        int i = 0, n = command.Length;
        while (i < n)
        {
            while (i < n && command[i] is ' ' or '\t' or '|' or ';' or '&' or '\n' or '\r' or '(' or '{' or '[') i++;
            int start = i;
            while (i < n && !(command[i] is ' ' or '\t' or '|' or ';' or '&' or '\n' or '\r' or '(' or ')' or '{' or '}')) i++;
            if (IsCmdletName(command.AsSpan(start, i - start))) return ShellKind.PowerShell;
            // skip the rest of this command
            while (i < n && !(command[i] is '|' or ';' or '&' or '\n' or '(' or '{')) i++;
        }
        return ShellKind.Posix;
    }

    private static bool IsCmdletName(ReadOnlySpan<char> word)
    {
        int dash = word.IndexOf('-');
        if (dash <= 0 || dash == word.Length - 1) return false;
        foreach (var c in word[(dash + 1)..]) if (!char.IsAsciiLetterOrDigit(c)) return false;
        var verb = word[..dash];
        foreach (var c in verb) if (!char.IsAsciiLetter(c)) return false;
        return Verbs.Contains(verb.ToString());
    }
}
