using CodexSandbox.Engine.Configuration;

namespace CodexSandbox.Engine.Backends.Linux;

/// <summary>
/// A permission profile's <c>unix_sockets</c> under the namespace layer. seccomp cannot read the path a
/// <c>connect()</c> goes to, so the mount namespace decides which host socket files exist for the command: the folders
/// where host sockets live are hidden, every other socket the host has bound is masked, and the allowed ones are bound
/// back. Only then does the launcher let AF_UNIX stream sockets connect (<c>--allow-unix-connect</c>).
/// </summary>
/// <remarks>
/// The folders (FHS 3.0 §3.15 and the X11 conventions): <c>/run</c> (and <c>/var/run</c> where it is not a link to
/// it) holds the system services' sockets (docker, containerd, podman, the D-Bus system bus, systemd and journald, snapd,
/// nscd, postgres) and under <c>/run/user/&lt;uid&gt;</c> every login session's (D-Bus session bus, Wayland, PipeWire,
/// gpg-agent, ssh-agent); <c>/tmp/.X11-unix</c> and <c>/tmp/.ICE-unix</c> hold X11's, hidden with <c>/tmp</c> unless
/// the temp folders are shared. Sockets elsewhere (a home folder's agent socket, <c>/var/lib</c>, <c>/var/snap</c>, a
/// workspace) are found in <c>/proc/net/unix</c>, the kernel's list of the sockets bound in this network namespace.
/// A socket bound after the plan was made, or in another network namespace (not in this one's list), outside those
/// folders is not masked: the plan says so.
/// </remarks>
internal sealed class UnixSocketMasks
{
    /// <summary>Folders hidden wholesale when only allowed sockets may be reached.</summary>
    public static readonly IReadOnlyList<string> SocketFolders = ["/run", "/var/run", "/tmp/.X11-unix", "/tmp/.ICE-unix"];

    /// <summary>Files under <c>/run</c> that programs read and are not sockets: bound back so that hiding <c>/run</c>
    /// does not break name resolution or a NixOS system (whose programs live under <c>/run/current-system</c>).</summary>
    private static readonly IReadOnlyList<string> RunContent = ["/run/current-system", "/run/opengl-driver", "/run/opengl-driver-32"];

    /// <summary>The network is cut off or proxied and the profile allows some sockets: they need a path filter.</summary>
    public static bool NeedsAllowlist(SandboxPolicy p) => p.NetworkMode != NetworkMode.On && !p.AllowAllUnixSockets && p.AllowedUnixSockets.Count > 0;

    /// <summary>The launcher must let AF_UNIX sockets connect, which it otherwise refuses with the network off or proxied.</summary>
    public static bool OpensConnect(SandboxPolicy p) => p.NetworkMode != NetworkMode.On && (p.AllowAllUnixSockets || p.AllowedUnixSockets.Count > 0);

    /// <summary>Denied sockets need masks whenever some socket can be connected to.</summary>
    public static bool MasksDenied(SandboxPolicy p) => p.DeniedUnixSockets.Count > 0 && (p.NetworkMode == NetworkMode.On || OpensConnect(p));

    /// <summary>Folders to hide with a read-only tmpfs (right after the private temp folders).</summary>
    public List<string> Folders { get; } = [];
    /// <summary>Non-socket files and folders under a hidden folder that are bound back read-only.</summary>
    public List<string> BoundBack { get; } = [];
    /// <summary>Host sockets outside the hidden folders, each masked with <c>/dev/null</c> (after the writable roots).</summary>
    public List<string> Sockets { get; } = [];
    /// <summary>Allowed paths bound back read-only (connect needs no write access to the mount).</summary>
    public List<string> Allowed { get; } = [];
    /// <summary>Denied paths masked last, so a denied socket inside an allowed folder stays hidden.</summary>
    public List<string> Denied { get; } = [];

    /// <param name="boundSockets">The pathname sockets bound on the host (<see cref="ReadBoundSockets"/>).</param>
    /// <param name="keep">A folder whose sockets the sandbox needs (the allowlist proxy's), or null.</param>
    public static UnixSocketMasks For(SandboxPolicy policy, IEnumerable<string> boundSockets, string? keep, Func<string, bool> isSocket)
    {
        var masks = new UnixSocketMasks();
        var hidden = policy.SharedTmp ? [] : policy.HiddenPaths.ToList();
        bool Visible(string path, IEnumerable<string> folders) => !folders.Any(f => Under(path, f));
        if (NeedsAllowlist(policy))
        {
            foreach (var folder in SocketFolders)
            {
                // a link (/var/run -> /run) is hidden with its target; a folder inside a private /tmp is already gone
                if (!Directory.Exists(folder) || new DirectoryInfo(folder).LinkTarget is not null || !Visible(folder, hidden)) continue;
                masks.Folders.Add(folder);
            }
            if (masks.Folders.Contains("/run"))
            {
                var resolv = PathUtil.Canonical("/etc/resolv.conf");
                if (Under(resolv, "/run") && File.Exists(resolv)) masks.BoundBack.Add(resolv);
                masks.BoundBack.AddRange(RunContent.Where(Directory.Exists));
            }
            var gone = hidden.Concat(masks.Folders).ToList();
            foreach (var socket in boundSockets.Distinct(StringComparer.Ordinal))
            {
                if (!Visible(socket, gone) || (keep is not null && Under(socket, keep)) || policy.AllowedUnixSockets.Any(a => Under(socket, a))) continue;
                if (isSocket(socket)) masks.Sockets.Add(socket);
            }
            masks.Allowed.AddRange(policy.AllowedUnixSockets.Where(a => !Visible(a, gone) && (File.Exists(a) || Directory.Exists(a))));
        }
        if (MasksDenied(policy)) masks.Denied.AddRange(policy.DeniedUnixSockets.Where(d => File.Exists(d) || Directory.Exists(d)));
        return masks;
    }

    /// <summary>The absolute paths of the pathname sockets bound in this network namespace (<c>/proc/net/unix</c>).</summary>
    public static IEnumerable<string> ReadBoundSockets()
    {
        string[] lines;
        try { lines = File.ReadAllLines("/proc/net/unix"); }
        catch (IOException) { yield break; }
        catch (UnauthorizedAccessException) { yield break; }
        // "Num RefCount Protocol Flags Type St Inode Path": the path is what follows the seventh field
        foreach (var line in lines.Skip(1))
        {
            var fields = line.Split(' ', 8, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 8 && fields[7].StartsWith('/')) yield return fields[7];
        }
    }

    /// <summary>The bwrap arguments that hide the folders and bind back what must stay (before the writable roots).</summary>
    public void AddFolderMasks(List<string> bwrap, List<string> remountReadOnly)
    {
        foreach (var folder in Folders)
        {
            bwrap.AddRange(["--tmpfs", folder]);
            remountReadOnly.Add(folder);
        }
        foreach (var path in BoundBack) bwrap.AddRange(["--ro-bind", path, path]);
    }

    /// <summary>The bwrap arguments that mask the other sockets, bind the allowed ones back and mask the denied ones (after the roots).</summary>
    public void AddSocketMasks(List<string> bwrap, List<string> remountReadOnly)
    {
        foreach (var socket in Sockets) bwrap.AddRange(["--ro-bind", "/dev/null", socket]);
        foreach (var path in Allowed) bwrap.AddRange(["--ro-bind", path, path]);
        foreach (var path in Denied)
        {
            if (Directory.Exists(path))
            {
                bwrap.AddRange(["--tmpfs", path]);
                remountReadOnly.Add(path);
            }
            else bwrap.AddRange(["--ro-bind", "/dev/null", path]);
        }
    }

    private static bool Under(string path, string folder) =>
        folder == "/" || path == folder || path.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal);
}
