using CodexSandbox.Launcher.Native;

namespace CodexSandbox.Launcher.Cli;

/// <summary>Gets the arguments as the raw bytes the kernel passed, so a file name that is not valid
/// UTF-8 reaches PROGRAM unchanged (the managed string[] has already replaced such bytes).</summary>
internal static class CommandLineReader
{
    public static List<byte[]> Read(string[] managedArgs)
    {
        var fromProc = ReadProcCmdline();
        // /proc may be absent (a namespace without it); then the decoded arguments are the best we have.
        if (fromProc is not null && fromProc.Count == managedArgs.Length + 1)
        {
            fromProc.RemoveAt(0);
            return fromProc;
        }
        var list = new List<byte[]>(managedArgs.Length);
        foreach (var a in managedArgs) list.Add(System.Text.Encoding.UTF8.GetBytes(a));
        return list;
    }

    private static List<byte[]>? ReadProcCmdline()
    {
        byte[]? data = SmallFile.ReadAll("/proc/self/cmdline\0"u8);
        if (data is null) return null;
        int length = data.Length;
        var args = new List<byte[]>();
        int start = 0;
        for (int i = 0; i < length; i++)
        {
            if (data[i] != 0) continue;
            args.Add(data.AsSpan(start, i - start).ToArray());
            start = i + 1;
        }
        if (start < length) args.Add(data.AsSpan(start, length - start).ToArray());
        return args;
    }
}
