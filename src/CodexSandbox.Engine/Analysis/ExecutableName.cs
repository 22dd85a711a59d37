namespace CodexSandbox.Engine.Analysis;

/// <summary>Program-name helpers: basename lookup and shell detection by name or path stem.</summary>
public static class ExecutableName
{
    /// <summary>The file name after the last <c>/</c> or <c>\</c>.</summary>
    public static string Basename(string program)
    {
        int slash = program.LastIndexOfAny(['/', '\\']);
        return slash < 0 ? program : program.Substring(slash + 1);
    }

    /// <summary>The basename without its extension (<c>/bin/bash</c> → <c>bash</c>, <c>pwsh.exe</c> → <c>pwsh</c>).</summary>
    public static string Stem(string program)
    {
        var name = Basename(program);
        int dot = name.LastIndexOf('.');
        return dot > 0 ? name.Substring(0, dot) : name;
    }

    /// <summary>True for bash, zsh and sh, by name or path stem (Codex's shell_detect).</summary>
    public static bool IsPosixShell(string program)
    {
        var stem = Stem(program);
        return stem is "bash" or "zsh" or "sh";
    }

    /// <summary>True for pwsh and powershell, with or without <c>.exe</c>, any case.</summary>
    public static bool IsPowerShell(string program)
    {
        var name = Basename(program);
        return name.Equals("pwsh", StringComparison.OrdinalIgnoreCase)
            || name.Equals("pwsh.exe", StringComparison.OrdinalIgnoreCase)
            || name.Equals("powershell", StringComparison.OrdinalIgnoreCase)
            || name.Equals("powershell.exe", StringComparison.OrdinalIgnoreCase);
    }
}
