using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Policy.Layers;
using Tomlyn.Model;

namespace CodexSandbox.Engine.Policy.Permissions;

/// <summary>Reads one <c>[permissions.&lt;id&gt;]</c> table into a <see cref="ProfileSpec"/>, checking each value's type.</summary>
internal static class ProfileSpecReader
{
    /// <exception cref="ConfigException">A value has the wrong type or shape.</exception>
    public static ProfileSpec Read(PermissionsTable source)
    {
        var spec = new ProfileSpec();
        var prefix = $"permissions.{source.Id}";
        var table = source.Table;
        foreach (var (key, value) in table)
        {
            switch (key)
            {
                case "description":
                    spec.Description = value as string ?? throw Wrong(source, table, key, $"{prefix}.description", "a string", value);
                    break;
                case "extends":
                    spec.Extends = value is string parent ? new Sourced<string>(parent, Origin(source, table, key, $"{prefix}.extends", parent))
                        : throw Wrong(source, table, key, $"{prefix}.extends", "a string", value);
                    break;
                case "workspace_roots":
                    if (value is not TomlTable roots) throw Wrong(source, table, key, $"{prefix}.workspace_roots", "a table of path = true/false", value);
                    foreach (var (path, on) in roots)
                    {
                        if (on is not bool b) throw Wrong(source, roots, path, $"{prefix}.workspace_roots.\"{path}\"", "a boolean", on);
                        spec.WorkspaceRoots[path] = new Sourced<bool>(b, Origin(source, roots, path, $"{prefix}.workspace_roots.\"{path}\"", b ? "true" : "false"));
                    }
                    break;
                case "filesystem":
                    if (value is not TomlTable fs) throw Wrong(source, table, key, $"{prefix}.filesystem", "a table", value);
                    spec.HasFilesystemTable = true;
                    ReadFilesystem(source, fs, $"{prefix}.filesystem", spec);
                    break;
                case "network":
                    if (value is not TomlTable network) throw Wrong(source, table, key, $"{prefix}.network", "a table", value);
                    spec.Network = ReadNetwork(source, network, $"{prefix}.network");
                    break;
            }
        }
        return spec;
    }

    /// <summary>
    /// The keys of <c>[network]</c> this module uses; Codex's proxy settings (<c>proxy_url</c>, <c>socks_url</c>,
    /// <c>enable_socks5</c> …) and <c>mitm</c> are known and left alone (LayerReader warns about unknown ones).
    /// </summary>
    private static NetworkSpec ReadNetwork(PermissionsTable source, TomlTable network, string prefix)
    {
        var spec = new NetworkSpec();
        Sourced<bool>? Flag(string key)
        {
            if (!network.TryGetValue(key, out var raw)) return null;
            return raw is bool on ? new Sourced<bool>(on, Origin(source, network, key, $"{prefix}.{key}", on ? "true" : "false"))
                : throw Wrong(source, network, key, $"{prefix}.{key}", "a boolean", raw);
        }
        spec.Enabled = Flag("enabled");
        spec.AllowLocalBinding = Flag("allow_local_binding");
        spec.AllowAllUnixSockets = Flag("dangerously_allow_all_unix_sockets");
        if (network.TryGetValue("mode", out var mode))
        {
            if (mode is not string text) throw Wrong(source, network, "mode", $"{prefix}.mode", "a string", mode);
            if (text is not ("full" or "limited"))
            {
                throw Error(source, network, "mode", $"{prefix}.mode", "UnknownValue", $"{prefix}.mode = \"{text}\" is not a valid value; accepted values: \"full\", \"limited\".");
            }
            spec.Mode = new Sourced<string>(text, Origin(source, network, "mode", $"{prefix}.mode", text));
        }
        if (network.TryGetValue("domains", out var domains))
        {
            if (domains is not TomlTable hosts) throw Wrong(source, network, "domains", $"{prefix}.domains", "a table of host = \"allow\" or \"deny\"", domains);
            foreach (var (host, permission) in hosts)
            {
                var dotted = $"{prefix}.domains.\"{host}\"";
                var verdict = Permission(source, hosts, host, dotted, permission);
                if (Network.HostPattern.TryParse(host, out var id, out var message) is null) throw Error(source, hosts, host, dotted, id, $"{dotted}: {message}.");
                // Codex normalises host patterns before it merges a child's domains over its parent's
                spec.Domains[host.ToLowerInvariant().TrimEnd('.')] = new Sourced<string>(verdict, Origin(source, hosts, host, dotted, verdict));
            }
        }
        if (network.TryGetValue("unix_sockets", out var sockets))
        {
            if (sockets is not TomlTable paths) throw Wrong(source, network, "unix_sockets", $"{prefix}.unix_sockets", "a table of path = \"allow\" or \"deny\"", sockets);
            foreach (var (path, permission) in paths)
            {
                var dotted = $"{prefix}.unix_sockets.\"{path}\"";
                var verdict = Permission(source, paths, path, dotted, permission);
                spec.UnixSockets[path] = new Sourced<string>(verdict, Origin(source, paths, path, dotted, verdict));
            }
        }
        return spec;
    }

    // `deny` is canonical; unlike filesystem entries there is no `none` alias (Codex's NetworkUnixSocketPermissionToml).
    private static string Permission(PermissionsTable source, TomlTable table, string key, string dotted, object? value) => value switch
    {
        "allow" or "deny" => (string)value,
        string other => throw Error(source, table, key, dotted, "UnknownValue", $"{dotted} = \"{other}\" is not a valid value; accepted values: \"allow\", \"deny\"."),
        _ => throw Wrong(source, table, key, dotted, "\"allow\" or \"deny\"", value),
    };

    private static void ReadFilesystem(PermissionsTable source, TomlTable fs, string prefix, ProfileSpec spec)
    {
        foreach (var (path, value) in fs)
        {
            var dotted = $"{prefix}.\"{path}\"";
            if (path == "glob_scan_max_depth")
            {
                if (value is not long depth) throw Wrong(source, fs, path, $"{prefix}.glob_scan_max_depth", "an integer", value);
                if (depth < 1) throw Error(source, fs, path, $"{prefix}.glob_scan_max_depth", "OutOfRange", "glob_scan_max_depth must be at least 1");
                spec.GlobScanMaxDepth = new Sourced<long>(depth, Origin(source, fs, path, $"{prefix}.glob_scan_max_depth", depth.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                continue;
            }
            if (value is string access)
            {
                spec.Filesystem[path] = new FilesystemValue(new Sourced<string>(CheckAccess(source, fs, path, dotted, access), Origin(source, fs, path, dotted, access)), null);
                continue;
            }
            if (value is not TomlTable scoped) throw Wrong(source, fs, path, dotted, "\"read\", \"write\", \"deny\" or a table of subpath = access", value);
            var entries = new Dictionary<string, Sourced<string>>(StringComparer.Ordinal);
            foreach (var (sub, subValue) in scoped)
            {
                var subDotted = $"{dotted}.\"{sub}\"";
                if (subValue is not string subAccess) throw Wrong(source, scoped, sub, subDotted, "\"read\", \"write\" or \"deny\"", subValue);
                entries[sub] = new Sourced<string>(CheckAccess(source, scoped, sub, subDotted, subAccess), Origin(source, scoped, sub, subDotted, subAccess));
            }
            spec.Filesystem[path] = new FilesystemValue(null, entries);
        }
    }

    // "none" is Codex's legacy spelling of "deny".
    private static string CheckAccess(PermissionsTable source, TomlTable table, string key, string dotted, string access) => access switch
    {
        "read" or "write" or "deny" => access,
        "none" => "deny",
        _ => throw Error(source, table, key, dotted, "UnknownValue", $"{dotted} = \"{access}\" is not a valid access; accepted values: \"read\", \"write\", \"deny\" (or \"none\")."),
    };

    public static PolicyOrigin Origin(PermissionsTable source, TomlTable table, string key, string dotted, string shown)
    {
        var (line, _) = source.File.Locate(table, key);
        return new PolicyOrigin(dotted, shown, source.Source, source.File.Path, line);
    }

    private static ConfigException Wrong(PermissionsTable source, TomlTable table, string key, string dotted, string expected, object? actual) =>
        Error(source, table, key, dotted, "WrongType", $"{dotted} must be {expected}, not {LayerReader.Describe(actual)}.");

    public static ConfigException Error(PermissionsTable source, TomlTable table, string key, string dotted, string id, string message)
    {
        var (line, column) = source.File.Locate(table, key);
        return new ConfigException([new ConfigDiagnostic(DiagnosticSeverity.Error, id, source.File.Path, line, column, dotted, message)]);
    }
}
