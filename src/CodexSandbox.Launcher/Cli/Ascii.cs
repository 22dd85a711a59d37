namespace CodexSandbox.Launcher.Cli;

/// <summary>Compares the raw argument bytes with the contract's ASCII spellings (LauncherContract), so each
/// spelling is written once, as a string constant, and matching it allocates nothing.</summary>
internal static class Ascii
{
    public static bool Equals(ReadOnlySpan<byte> bytes, string text)
    {
        if (bytes.Length != text.Length) return false;
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != text[i]) return false;
        }
        return true;
    }

    /// <summary>The bytes of an ASCII constant (for messages built before any restriction).</summary>
    public static byte[] Bytes(string text) => System.Text.Encoding.ASCII.GetBytes(text);
}
