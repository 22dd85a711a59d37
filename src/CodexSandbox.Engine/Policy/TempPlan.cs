using CodexSandbox.Engine.Configuration;

namespace CodexSandbox.Engine.Policy;

/// <summary>
/// What becomes of the host's temporary folders. They hold other processes' IPC endpoints (the caller's .NET debugger
/// FIFOs and diagnostics socket, PowerShell's host pipe), so by default the command gets private, per-run folders at the
/// same paths and the host's are hidden. Sharing them, as Codex does, is the explicit opt-in <c>[sandbox_linux] tmp = "shared"</c>.
/// </summary>
public sealed record TempPlan(IReadOnlyList<TempFolder> Private, IReadOnlyList<string> Hidden, IReadOnlyList<(string Path, string Why)> SharedRoots, bool Shared)
{
    public static TempPlan Resolve(SandboxMode mode, bool excludeSlashTmp, bool excludeTmpdir, bool shared, IReadOnlyDictionary<string, string> parentEnvironment)
    {
        bool write = mode == SandboxMode.WorkspaceWrite;
        if (OperatingSystem.IsWindows())
        {
            // Windows has TEMP and TMP where Unix has TMPDIR (codex-behaviour.md §10.2 step 3); the same setting excludes them.
            var roots = new List<(string, string)>();
            foreach (var name in new[] { "TEMP", "TMP" })
            {
                if (write && !excludeTmpdir && parentEnvironment.TryGetValue(name, out var value) && value.Length > 0) roots.Add((value, "$" + name));
            }
            return new TempPlan([], [], roots, Shared: true);
        }

        string? tmpdir = parentEnvironment.TryGetValue("TMPDIR", out var t) && t.Length > 0 ? PathUtil.Canonical(t) : null;
        if (tmpdir == "/") tmpdir = null; // never "hide" the whole system
        bool slashWritable = write && !excludeSlashTmp;
        bool tmpdirWritable = write && !excludeTmpdir && tmpdir is not null;
        if (shared)
        {
            var roots = new List<(string, string)>();
            if (slashWritable && Directory.Exists("/tmp")) roots.Add(("/tmp", "/tmp"));
            if (tmpdirWritable) roots.Add((tmpdir!, "$TMPDIR"));
            return new TempPlan([], [], roots, Shared: true);
        }

        var folders = new List<TempFolder>();
        if (tmpdir == "/tmp")
        {
            folders.Add(new TempFolder { Path = "/tmp", Name = "/tmp", Writable = slashWritable || tmpdirWritable });
        }
        else
        {
            folders.Add(new TempFolder { Path = "/tmp", Name = "/tmp", Writable = slashWritable });
            if (tmpdir is not null) folders.Add(new TempFolder { Path = tmpdir, Name = "$TMPDIR", Writable = tmpdirWritable });
        }
        var hidden = new List<string> { "/tmp", PathUtil.Canonical("/var/tmp") };
        if (tmpdir is not null) hidden.Add(tmpdir);
        if (parentEnvironment.TryGetValue("XDG_RUNTIME_DIR", out var xdg) && xdg.Length > 0 && Path.IsPathRooted(xdg)) hidden.Add(PathUtil.Canonical(xdg));
        var distinct = hidden.Where(h => h != "/").Distinct(StringComparer.Ordinal).ToList();
        return new TempPlan(folders, distinct, [], Shared: false);
    }
}
