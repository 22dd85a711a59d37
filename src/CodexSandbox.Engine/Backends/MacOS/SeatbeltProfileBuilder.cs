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
    public static SeatbeltProfile Build(SandboxPolicy policy, IReadOnlyList<int> proxyPorts, Func<string, string>? canonicalize = null)
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
            "; Reading: the whole file system, except the deny_read entries below.\n(allow file-read*)\n",
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
