namespace CodexSandbox.Engine.Execution;

/// <summary>Whether this process can give a command its terminal (-Interactive), checked before anything is decided or run.</summary>
public static class InteractiveTerminal
{
    /// <summary>Throws <see cref="TerminalUnavailableException"/> when an interactive run cannot start here.</summary>
    public static void EnsureAvailable()
    {
        if (OperatingSystem.IsWindows())
        {
            throw new TerminalUnavailableException("Interactive runs are not supported on Windows yet: the restricted-token sandbox runs with redirected streams only.");
        }
        bool redirected = OperatingSystem.IsLinux()
            ? !PseudoTerminal.IsTerminal(0) || !PseudoTerminal.IsTerminal(1)
            : Console.IsInputRedirected || Console.IsOutputRedirected;
        if (redirected)
        {
            throw new TerminalUnavailableException(
                "-Interactive needs a terminal, and this session has none: its stdin or stdout is redirected (a pipe, a file, a CI runner, a host without a console).");
        }
    }
}
