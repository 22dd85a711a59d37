namespace CodexSandbox.Engine.Execution;

/// <summary>
/// The caller's terminal in raw mode for an interactive run: every key, Ctrl+C included, reaches the relay as a byte
/// (with ISIG off the terminal sends no SIGINT to PowerShell), and the command's own pseudo-terminal does the line
/// editing and signals. Disposing restores the settings it found, whatever ended the run.
/// </summary>
internal sealed unsafe class RawTerminalMode : IDisposable
{
    private readonly int _fd;
    private readonly byte[] _saved = new byte[TerminalNative.TermiosBytes];
    private bool _active;

    private RawTerminalMode(int fd) => _fd = fd;

    /// <summary>Puts terminal <paramref name="fd"/> in raw mode; throws when its settings cannot be read or changed.</summary>
    public static RawTerminalMode Enter(int fd)
    {
        var mode = new RawTerminalMode(fd);
        fixed (byte* saved = mode._saved)
        {
            if (TerminalNative.tcgetattr(fd, saved) != 0) throw new System.ComponentModel.Win32Exception(TerminalNative.Errno, "tcgetattr failed");
            byte* raw = stackalloc byte[TerminalNative.TermiosBytes];
            new ReadOnlySpan<byte>(saved, TerminalNative.TermiosBytes).CopyTo(new Span<byte>(raw, TerminalNative.TermiosBytes));
            TerminalNative.cfmakeraw(raw);
            if (TerminalNative.tcsetattr(fd, TerminalNative.TCSADRAIN, raw) != 0) throw new System.ComponentModel.Win32Exception(TerminalNative.Errno, "tcsetattr failed");
        }
        mode._active = true;
        return mode;
    }

    public void Dispose()
    {
        if (!_active) return;
        _active = false;
        fixed (byte* saved = _saved) TerminalNative.tcsetattr(_fd, TerminalNative.TCSADRAIN, saved);
    }
}
