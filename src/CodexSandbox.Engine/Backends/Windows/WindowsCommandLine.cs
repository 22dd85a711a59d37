using System.Text;

namespace CodexSandbox.Engine.Backends.Windows;

/// <summary>
/// Turns an argv list into the single command line Windows passes to a process, so that the child's
/// <c>CommandLineToArgvW</c> (and the C runtime) gives back exactly the same list.
/// </summary>
public static class WindowsCommandLine
{
    private static readonly char[] NeedsQuotes = [' ', '\t', '\n', '\v', '"'];
    // cmd.exe re-parses the line for .bat/.cmd files with its own rules; these cannot be quoted safely there.
    private static readonly char[] CmdMetacharacters = ['"', '&', '|', '<', '>', '^', '%', '!', '\r', '\n', '(', ')'];

    public static string Build(IReadOnlyList<string> argv)
    {
        if (argv.Count == 0) throw new ArgumentException("The command is empty.", nameof(argv));
        if (IsBatchFile(argv[0]))
        {
            var bad = argv.Skip(1).FirstOrDefault(a => a.IndexOfAny(CmdMetacharacters) >= 0);
            if (bad is not null)
                throw new ArgumentException($"Argument '{bad}' holds a character cmd.exe interprets; it cannot be passed safely to the batch file {argv[0]}.", nameof(argv));
        }
        var sb = new StringBuilder(QuoteProgram(argv[0]));
        for (var i = 1; i < argv.Count; i++) sb.Append(' ').Append(QuoteArgument(argv[i]));
        return sb.ToString();
    }

    /// <summary>The program name follows simpler rules: no backslash escapes, it ends at the closing quote.</summary>
    public static string QuoteProgram(string program)
    {
        if (program.Length == 0) throw new ArgumentException("The program name is empty.", nameof(program));
        if (program.Contains('"')) throw new ArgumentException($"A program name cannot hold a quote: '{program}'.", nameof(program));
        return program.IndexOfAny([' ', '\t']) >= 0 ? $"\"{program}\"" : program;
    }

    /// <summary>
    /// Quotes one argument: backslashes are literal except before a quote, where 2n backslashes + quote
    /// mean n backslashes and a delimiter, and 2n+1 mean n backslashes and a literal quote.
    /// </summary>
    public static string QuoteArgument(string arg)
    {
        if (arg.Length > 0 && arg.IndexOfAny(NeedsQuotes) < 0) return arg;
        var sb = new StringBuilder("\"");
        var i = 0;
        while (true)
        {
            var backslashes = 0;
            while (i < arg.Length && arg[i] == '\\') { backslashes++; i++; }
            if (i == arg.Length)
            {
                sb.Append('\\', backslashes * 2); // before the closing quote
                break;
            }
            if (arg[i] == '"') sb.Append('\\', backslashes * 2 + 1).Append('"');
            else sb.Append('\\', backslashes).Append(arg[i]);
            i++;
        }
        return sb.Append('"').ToString();
    }

    /// <summary>Splits a command line the way <c>CommandLineToArgvW</c> does; used to check <see cref="Build"/> and for review.</summary>
    public static IReadOnlyList<string> Parse(string commandLine)
    {
        var result = new List<string>();
        var i = 0;
        var n = commandLine.Length;
        // argv[0]: quoted up to the next quote, or up to the first blank; no escapes.
        var sb = new StringBuilder();
        if (i < n && commandLine[i] == '"')
        {
            i++;
            while (i < n && commandLine[i] != '"') sb.Append(commandLine[i++]);
            if (i < n) i++;
        }
        else
        {
            while (i < n && commandLine[i] is not (' ' or '\t')) sb.Append(commandLine[i++]);
        }
        result.Add(sb.ToString());
        while (true)
        {
            while (i < n && commandLine[i] is ' ' or '\t') i++;
            if (i >= n) break;
            sb.Clear();
            var inQuotes = false;
            while (i < n)
            {
                var c = commandLine[i];
                if (c == '\\')
                {
                    var count = 0;
                    while (i < n && commandLine[i] == '\\') { count++; i++; }
                    if (i < n && commandLine[i] == '"')
                    {
                        sb.Append('\\', count / 2);
                        if (count % 2 == 1) { sb.Append('"'); i++; }
                    }
                    else sb.Append('\\', count);
                    continue;
                }
                if (c == '"')
                {
                    // Inside quotes, "" is a literal quote.
                    if (inQuotes && i + 1 < n && commandLine[i + 1] == '"') { sb.Append('"'); i += 2; continue; }
                    inQuotes = !inQuotes;
                    i++;
                    continue;
                }
                if (!inQuotes && c is ' ' or '\t') break;
                sb.Append(c);
                i++;
            }
            result.Add(sb.ToString());
        }
        return result;
    }

    public static bool IsBatchFile(string program) =>
        program.EndsWith(".bat", StringComparison.OrdinalIgnoreCase) || program.EndsWith(".cmd", StringComparison.OrdinalIgnoreCase);
}
