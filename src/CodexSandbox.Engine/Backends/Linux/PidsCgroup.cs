namespace CodexSandbox.Engine.Backends.Linux;

/// <summary>
/// A per-run pids cgroup. The kernel exempts root from RLIMIT_NPROC (and counts it per user, not per sandbox),
/// so for a root caller the process cap of <c>[sandbox_limits] max_processes</c> is a cgroup's <c>pids.max</c>.
/// </summary>
public sealed class PidsCgroup : IDisposable
{
    private readonly string _directory;

    private PidsCgroup(string directory) => _directory = directory;

    /// <summary>The file a process writes its pid to in order to join the group.</summary>
    public string ProcsFile => Path.Combine(_directory, "cgroup.procs");

    /// <summary>Creates the group with pids.max set, or returns null and says why.</summary>
    public static PidsCgroup? TryCreate(long maxProcesses, out string? problem)
    {
        problem = null;
        var name = "codex-sandbox-" + Guid.NewGuid().ToString("n")[..12];
        // cgroup v1 pids hierarchy, then a cgroup v2 hierarchy with the pids controller.
        foreach (var (root, enable) in new[] { ("/sys/fs/cgroup/pids", false), ("/sys/fs/cgroup", true), ("/sys/fs/cgroup/unified", true) })
        {
            try
            {
                if (!File.Exists(Path.Combine(root, "cgroup.procs"))) continue;
                if (enable)
                {
                    var controllers = Path.Combine(root, "cgroup.controllers");
                    if (!File.Exists(controllers) || !File.ReadAllText(controllers).Split(' ', '\n').Contains("pids")) continue;
                    File.WriteAllText(Path.Combine(root, "cgroup.subtree_control"), "+pids");
                }
                var dir = Path.Combine(root, name);
                Directory.CreateDirectory(dir);
                var max = Path.Combine(dir, "pids.max");
                if (!File.Exists(max)) { TryRemove(dir); continue; }
                File.WriteAllText(max, maxProcesses.ToString(System.Globalization.CultureInfo.InvariantCulture));
                return new PidsCgroup(dir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problem = $"{root}: {e.Message}";
            }
        }
        problem ??= "no writable pids cgroup hierarchy was found";
        return null;
    }

    /// <summary>Wraps a program so it joins the group before it starts (the group is inherited by everything it forks).</summary>
    public (string Program, IReadOnlyList<string> Arguments) Wrap(string program, IReadOnlyList<string> arguments) =>
        ("/bin/sh", ["-c", "echo $$ > \"$0\" && exec \"$@\"", ProcsFile, program, .. arguments]);

    public void Dispose()
    {
        // The run's processes are gone by now (the tree was waited for or killed); the kernel frees the group on rmdir.
        for (int i = 0; i < 20 && Directory.Exists(_directory); i++)
        {
            if (TryRemove(_directory)) return;
            Thread.Sleep(25);
        }
    }

    private static bool TryRemove(string dir)
    {
        try { Directory.Delete(dir); return true; }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }
}
