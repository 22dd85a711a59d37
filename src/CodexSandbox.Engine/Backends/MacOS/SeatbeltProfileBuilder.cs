using System.Text;

namespace CodexSandbox.Engine.Backends.MacOS;

/// <summary>
/// Builds the Seatbelt profile text for a policy (codex-behaviour.md §8): base policy, read section, write
/// section, deny-read section, network section. Paths go in as <c>-D</c> parameters, never spliced into the
/// text, so a folder name cannot change the profile's meaning; deny_read globs are regexes and are checked.
/// </summary>
public static class SeatbeltProfileBuilder
{
    /// <param name="policy">The effective policy; DangerFullAccess has no profile.</param>
    /// <param name="proxyPorts">Loopback ports of the allowlist proxy (Allowlist mode only).</param>
    /// <param name="canonicalize">Path canonicalization; <see cref="MacPath.Canonicalize"/> when null.</param>
    /// <param name="programs">The resolved programs the sandbox starts (the command, and /bin/sh when it sets the limits):
    /// readable under a read limit, so that they can start.</param>
    public static SeatbeltProfile Build(SandboxPolicy policy, IReadOnlyList<int> proxyPorts, Func<string, string>? canonicalize = null, IReadOnlyList<string>? programs = null)
    {
        if (policy.SandboxMode == SandboxMode.DangerFullAccess)
            throw new ArgumentException("danger-full-access runs without a sandbox; there is no profile to build.", nameof(policy));
        canonicalize ??= MacPath.Canonicalize;
        foreach (var port in proxyPorts)
            if (port is < 1 or > 65535) throw new ArgumentOutOfRangeException(nameof(proxyPorts), port, "A proxy port must be 1-65535.");

        var parameters = new List<KeyValuePair<string, string>>();
        var sections = new List<string>
        {
            SeatbeltBasePolicy.Text,
            ReadSection(policy, canonicalize, parameters, programs ?? []),
            WriteSection(policy, canonicalize, parameters),
            DenyReadSection(policy, canonicalize),
            NetworkSection(policy.NetworkMode, proxyPorts),
            UnixSocketSection(policy, canonicalize, parameters),
        };
        return new SeatbeltProfile(string.Join("\n", sections.Where(s => s.Length > 0)), parameters);
    }

    private static string WriteSection(SandboxPolicy policy, Func<string, string> canonicalize, List<KeyValuePair<string, string>> parameters)
    {
        if (policy.SandboxMode != SandboxMode.WorkspaceWrite || policy.WritableRoots.Count == 0)
            return "; Writing: nothing (read-only).\n";
        var roots = policy.WritableRoots.Select(r => canonicalize(r.Path)).ToList();
        // Every protected path of every root: a gitdir target may lie in another writable root.
        var protectedPaths = policy.WritableRoots.SelectMany(r => r.ReadOnlySubpaths).Select(canonicalize).Distinct(StringComparer.Ordinal).ToList();

        var sb = new StringBuilder("; Writing: only inside the writable roots, never in their protected sub-paths.\n(allow file-write*");
        for (var i = 0; i < roots.Count; i++)
        {
            var key = $"WRITABLE_ROOT_{i}";
            parameters.Add(new(key, roots[i]));
            var excluded = protectedPaths.Where(p => MacPath.IsUnder(p, roots[i])).ToList();
            if (excluded.Count == 0)
            {
                sb.Append($"\n  (subpath (param \"{key}\"))");
                continue;
            }
            sb.Append($"\n  (require-all\n    (subpath (param \"{key}\"))");
            for (var j = 0; j < excluded.Count; j++)
            {
                var ex = $"{key}_EXCLUDED_{j}";
                parameters.Add(new(ex, excluded[j]));
                // literal blocks creating the path itself, subpath everything below it.
                sb.Append($"\n    (require-not (literal (param \"{ex}\")))\n    (require-not (subpath (param \"{ex}\")))");
            }
            sb.Append(')');
        }
        sb.Append(")\n");
        return sb.ToString();
    }

    /// <summary>
    /// Everything readable, or under a permission profile's read limit only its readable roots, the writable roots, the
    /// program, and what dyld needs to start any program (the system libraries, frameworks and the shared cache). The
    /// deny_read rules that follow still win.
    /// </summary>
    private static string ReadSection(SandboxPolicy policy, Func<string, string> canonicalize, List<KeyValuePair<string, string>> parameters, IReadOnlyList<string> programs)
    {
        if (policy.ReadableRoots is not { } readable) return "; Reading: the whole file system, except the deny_read entries below.\n(allow file-read*)\n";
        var roots = readable.Concat(policy.WritableRoots.Select(r => r.Path)).Select(canonicalize).Distinct(StringComparer.Ordinal).ToList();
        var sb = new StringBuilder("; Reading: only the permission profile's readable roots, the writable roots, the program and what a program needs to start (a read limit).\n");
        if (roots.Count > 0)
        {
            sb.Append("(allow file-read*");
            for (var i = 0; i < roots.Count; i++)
            {
                var key = $"READABLE_ROOT_{i}";
                parameters.Add(new(key, roots[i]));
                sb.Append($"\n  (subpath (param \"{key}\"))");
            }
            sb.Append(")\n");
        }
        var files = programs.Select(canonicalize).Distinct(StringComparer.Ordinal).ToList();
        for (var i = 0; i < files.Count; i++)
        {
            parameters.Add(new($"READABLE_PROGRAM_{i}", files[i]));
            sb.Append($"(allow file-read* (literal (param \"READABLE_PROGRAM_{i}\")))\n");
        }
        return sb.Append(ProgramStartRules).ToString();
    }

    /// <summary>What dyld reads and maps to start any program, and the lookups on the way to it (Codex's macOS platform
    /// defaults, reduced to the loader's part; <c>:minimal</c> adds /usr, /bin, /sbin and /etc as readable roots).</summary>
    private const string ProgramStartRules = """
        ; To start a program: the loader, the system libraries and frameworks, the dyld shared cache.
        (allow file-read* file-test-existence
          (subpath "/usr/lib")
          (subpath "/System/Library")
          (subpath "/System/Cryptexes")
          (subpath "/System/Volumes/Preboot/Cryptexes")
          (subpath "/Library/Apple")
          (literal "/dev/null")
          (literal "/dev/random")
          (literal "/dev/urandom"))
        (allow file-map-executable
          (subpath "/usr/lib")
          (subpath "/System/Library")
          (subpath "/System/Cryptexes")
          (subpath "/System/Volumes/Preboot/Cryptexes")
          (subpath "/Library/Apple"))
        ; The root and the standard symlinks may be looked up, not listed.
        (allow file-read-metadata file-test-existence
          (literal "/")
          (literal "/etc")
          (literal "/tmp")
          (literal "/var")
          (literal "/private"))

        """;

    private static string DenyReadSection(SandboxPolicy policy, Func<string, string> canonicalize)
    {
        if (policy.DenyRead.Count == 0) return "";
        var sb = new StringBuilder("; deny_read: unreadable and undeletable. Later rules win, so these beat the allows above.\n");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in policy.DenyRead)
        {
            var absolute = entry.StartsWith('/') ? entry : policy.WorkingDirectory.TrimEnd('/') + "/" + entry;
            var forms = new List<string> { absolute, SeatbeltGlob.IsGlob(absolute) ? SeatbeltGlob.CanonicalizePrefix(absolute) : canonicalize(absolute) };
            foreach (var form in forms)
            {
                var regex = SeatbeltGlob.ToRegex(form);
                if (!seen.Add(regex)) continue;
                sb.Append($"(deny file-read* (regex #\"{regex}\"))\n");
                sb.Append($"(deny file-write-unlink (regex #\"{regex}\"))\n");
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// A permission profile's <c>unix_sockets</c>, as Codex writes them (seatbelt.rs <c>unix_socket_policy</c>): each allowed
    /// path is a subpath whose sockets may be created and connected to, in every network mode; allow-all opens every
    /// socket. Denied paths come last (later rules win), which Codex does not write: a deny here is enforced.
    /// </summary>
    private static string UnixSocketSection(SandboxPolicy policy, Func<string, string> canonicalize, List<KeyValuePair<string, string>> parameters)
    {
        if (!policy.AllowAllUnixSockets && policy.AllowedUnixSockets.Count == 0 && policy.DeniedUnixSockets.Count == 0) return "";
        var sb = new StringBuilder("; Unix sockets: the permission profile's unix_sockets.\n");
        if (policy.AllowAllUnixSockets || policy.AllowedUnixSockets.Count > 0) sb.Append("(allow system-socket (socket-domain AF_UNIX))\n");
        if (policy.AllowAllUnixSockets)
        {
            sb.Append("(allow network-bind (local unix-socket))\n(allow network-outbound (remote unix-socket))\n");
        }
        else
        {
            var allowed = policy.AllowedUnixSockets.Select(canonicalize).Distinct(StringComparer.Ordinal).ToList();
            for (var i = 0; i < allowed.Count; i++)
            {
                var key = $"UNIX_SOCKET_PATH_{i}";
                parameters.Add(new(key, allowed[i]));
                sb.Append($"(allow network-bind (local unix-socket (subpath (param \"{key}\"))))\n");
                sb.Append($"(allow network-outbound (remote unix-socket (subpath (param \"{key}\"))))\n");
            }
        }
        var denied = policy.DeniedUnixSockets.Select(canonicalize).Distinct(StringComparer.Ordinal).ToList();
        for (var i = 0; i < denied.Count; i++)
        {
            var key = $"UNIX_SOCKET_DENIED_{i}";
            parameters.Add(new(key, denied[i]));
            sb.Append($"(deny network-outbound (remote unix-socket (subpath (param \"{key}\"))))\n");
        }
        return sb.ToString();
    }

    private static string NetworkSection(NetworkMode mode, IReadOnlyList<int> proxyPorts)
    {
        switch (mode)
        {
            case NetworkMode.Off:
                return "; Network: none (refused by the default rule).\n";
            case NetworkMode.On:
                return "; Network: unrestricted.\n(allow network-outbound)\n(allow network-inbound)\n"
                    + SeatbeltBasePolicy.NetworkSupport;
            default:
                var sb = new StringBuilder();
                if (proxyPorts.Count == 0)
                    sb.Append("; Network: allowlist, but no proxy port is known, so no connection is allowed (fail closed).\n");
                else
                {
                    sb.Append("; Network: only the loopback allowlist proxy.\n");
                    foreach (var port in proxyPorts.Distinct().Order())
                        sb.Append($"(allow network-outbound (remote ip \"localhost:{port}\"))\n");
                }
                return sb.Append(SeatbeltBasePolicy.NetworkSupport).ToString();
        }
    }
}
