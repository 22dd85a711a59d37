using CodexSandbox.Launcher.Native;

namespace CodexSandbox.Launcher.Supervise;

/// <summary>The children of this process: /proc/self/task/TID/children (CONFIG_PROC_CHILDREN), or,
/// where the kernel lacks that file, every /proc/PID/stat whose parent field is this process.
/// A pid listed here is an unreaped child, so it cannot be reused before this process reaps it.</summary>
internal static unsafe class ChildList
{
    public static void Read(int self, List<int> into)
    {
        // Children started or adopted by the main thread (the group leader adopts orphans while it
        // lives); the supervisor never starts processes from other threads.
        byte[] path = System.Text.Encoding.ASCII.GetBytes($"/proc/self/task/{self}/children\0");
        byte[]? list = SmallFile.ReadAll(path);
        if (list is null)
        {
            Scan(self, into);
            return;
        }
        int value = -1;
        foreach (byte b in list)
        {
            if (b is >= (byte)'0' and <= (byte)'9') value = (value < 0 ? 0 : value * 10) + (b - '0');
            else if (value >= 0)
            {
                into.Add(value);
                value = -1;
            }
        }
        if (value >= 0) into.Add(value);
    }

    private static void Scan(int self, List<int> into)
    {
        nint dir;
        fixed (byte* proc = "/proc\0"u8) dir = Posix.opendir(proc);
        if (dir == 0) return;
        try
        {
            byte* entry;
            while ((entry = Posix.readdir(dir)) != null)
            {
                byte* name = entry + Posix.DirentNameOffset;
                int pid = 0, i = 0;
                for (; name[i] != 0; i++)
                {
                    if (name[i] < '0' || name[i] > '9') { pid = -1; break; }
                    pid = pid * 10 + (name[i] - '0');
                }
                if (pid <= 0 || i == 0) continue;
                byte[]? stat = SmallFile.ReadAll(System.Text.Encoding.ASCII.GetBytes($"/proc/{pid}/stat\0"));
                if (stat is not null && ParentOf(stat) == self) into.Add(pid);
            }
        }
        finally
        {
            Posix.closedir(dir);
        }
    }

    /// <summary>The ppid field of a /proc/PID/stat line: "pid (comm) state ppid ...", where comm may
    /// itself contain spaces and parentheses.</summary>
    private static int ParentOf(byte[] stat)
    {
        int close = Array.LastIndexOf(stat, (byte)')');
        if (close < 0 || close + 4 >= stat.Length) return -1;
        int value = 0, i = close + 4; // ") S " then the ppid
        for (; i < stat.Length && stat[i] is >= (byte)'0' and <= (byte)'9'; i++) value = value * 10 + (stat[i] - '0');
        return i == close + 4 ? -1 : value;
    }
}
