namespace CodexSandbox.Launcher.Cli;

/// <summary>A failure found before any restriction is applied (bad arguments, missing paths, kernel
/// support); Main prints it as one line and exits with <see cref="ExitCode"/>.</summary>
/// <remarks>Only thrown before the limits: after RLIMIT_AS nothing may allocate.</remarks>
internal sealed class LauncherException(int exitCode, byte[] message) : Exception
{
    public int ExitCode { get; } = exitCode;

    /// <summary>UTF-8 text of the message, without the program prefix.</summary>
    public byte[] Utf8Message { get; } = message;

    public const int LauncherError = 125, CannotExecute = 126, NotFound = 127;

    public static LauncherException Usage(string message) =>
        new(LauncherError, System.Text.Encoding.UTF8.GetBytes(message));

    public static LauncherException Usage(ReadOnlySpan<byte> subject, string message)
    {
        var text = new byte[subject.Length + 2 + System.Text.Encoding.UTF8.GetByteCount(message)];
        subject.CopyTo(text);
        text[subject.Length] = (byte)':';
        text[subject.Length + 1] = (byte)' ';
        System.Text.Encoding.UTF8.GetBytes(message, text.AsSpan(subject.Length + 2));
        return new(LauncherError, text);
    }

    /// <summary>"&lt;subject&gt;: &lt;strerror(errno)&gt;" with the given exit code.</summary>
    public static unsafe LauncherException FromErrno(int exitCode, ReadOnlySpan<byte> subject, int errno)
    {
        byte* reason = Native.Libc.strerror(errno);
        var detail = new ReadOnlySpan<byte>(reason, Output.LineBuilder.Strlen(reason));
        var text = new byte[subject.Length + 2 + detail.Length];
        subject.CopyTo(text);
        text[subject.Length] = (byte)':';
        text[subject.Length + 1] = (byte)' ';
        detail.CopyTo(text.AsSpan(subject.Length + 2));
        return new(exitCode, text);
    }
}
