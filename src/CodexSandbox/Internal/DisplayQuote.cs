namespace CodexSandbox.Internal;

/// <summary>Shows an argument as a POSIX shell would need it: as it is when it is plain, else in single quotes.</summary>
internal static class DisplayQuote
{
    public static string Posix(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_./=:,+@%".Contains(c)) ? arg : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
