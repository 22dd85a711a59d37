using Tomlyn.Model;

namespace CodexSandbox.Engine.Configuration;

/// <summary>Reads the keys of <see cref="ConfigSchema"/> out of one parsed file, checking each value's type.</summary>
public static class LayerReader
{
    public static LayerSettings Read(ConfigFile file, PolicySource source, string home)
    {
        var result = new LayerSettings();
        result.Diagnostics.AddRange(file.SyntaxErrors);
        var reader = new Reader(file, source, home, result.Diagnostics);
        reader.ReadSettings(file.Root, "", result, profile: null, allowTopOnly: true);
        reader.CheckKeys(file.Root, "", KnownKeys.Codex.Concat(KnownKeys.Ours));

        if (TryTable(file.Root, "profiles", out var profiles, reader, ""))
        {
            foreach (var (name, value) in profiles)
            {
                if (value is not TomlTable profileTable)
                {
                    reader.Report(profiles, name, $"profiles.{name}", "WrongType", $"profiles.{name} must be a table.");
                    continue;
                }
                var settings = new LayerSettings();
                reader.ReadSettings(profileTable, $"profiles.{name}.", settings, name, allowTopOnly: false);
                reader.CheckKeys(profileTable, $"profiles.{name}.", KnownKeys.CodexProfile.Concat(KnownKeys.Ours));
                result.Profiles[name] = settings;
                result.ProfileLines[name] = file.Locate(profiles, name).Line;
            }
        }

        if (TryTable(file.Root, "permissions", out var permissions, reader, ""))
        {
            foreach (var (id, value) in permissions)
            {
                if (value is not TomlTable profileTable)
                {
                    reader.Report(permissions, id, $"permissions.{id}", "WrongType", $"permissions.{id} must be a table, not {Describe(value)}.");
                    continue;
                }
                if (id.StartsWith(':'))
                {
                    reader.Report(permissions, id, $"permissions.{id}", "ReservedProfileName", $"permissions profile `{id}` uses a reserved built-in profile prefix");
                    continue;
                }
                result.Permissions[id] = new PermissionsTable(id, profileTable, file, source);
                reader.CheckKeys(profileTable, $"permissions.{id}.", KnownKeys.PermissionProfile);
                if (profileTable.TryGetValue("network", out var network) && network is TomlTable networkTable)
                {
                    reader.CheckKeys(networkTable, $"permissions.{id}.network.", KnownKeys.PermissionNetwork);
                }
            }
        }

        if (TryTable(file.Root, "projects", out var projects, reader, ""))
        {
            foreach (var (path, value) in projects)
            {
                if (value is not TomlTable project)
                {
                    reader.Report(projects, path, $"projects.{path}", "WrongType", $"projects.\"{path}\" must be a table.");
                    continue;
                }
                if (reader.ReadValue(project, "trust_level", $"projects.\"{path}\".trust_level", ConfigSchema.TrustLevelKey, null) is { } trust)
                {
                    result.Trust[PathUtil.Normalize(PathUtil.ExpandHome(path, home))] = trust;
                }
            }
        }
        return result;
    }

    private static bool TryTable(TomlTable parent, string key, out TomlTable table, Reader reader, string prefix)
    {
        table = null!;
        if (!parent.TryGetValue(key, out var value)) return false;
        if (value is TomlTable t) { table = t; return true; }
        reader.Report(parent, key, prefix + key, "WrongType", $"{prefix}{key} must be a table, not {Describe(value)}.");
        return false;
    }

    internal static string Describe(object? value) => value switch
    {
        string => "a string",
        bool => "a boolean",
        long or int => "an integer",
        double => "a float",
        TomlArray => "an array",
        TomlTable => "a table",
        TomlTableArray => "an array of tables",
        null => "nothing",
        _ => "a " + value.GetType().Name,
    };

    private sealed class Reader(ConfigFile file, PolicySource source, string home, List<ConfigDiagnostic> diagnostics)
    {
        public void ReadSettings(TomlTable table, string prefix, LayerSettings into, string? profile, bool allowTopOnly)
        {
            foreach (var key in ConfigSchema.Keys)
            {
                var parts = key.Name.Split('.');
                var owner = table;
                bool found = true;
                for (int i = 0; i < parts.Length - 1 && found; i++)
                {
                    found = TryTable(owner, parts[i], out owner, this, prefix + string.Join('.', parts[..i]) + (i > 0 ? "." : ""));
                }
                if (!found) continue;
                if (ReadValue(owner, parts[^1], prefix + key.Name, key, profile) is { } setting)
                {
                    into.Values[key.Name] = setting;
                }
            }
            if (allowTopOnly && ReadValue(table, "profile", "profile", ConfigSchema.ProfileKey, null) is { } p)
            {
                into.Values["profile"] = p;
            }
            foreach (var strict in ConfigSchema.StrictTables)
            {
                if (table.TryGetValue(strict, out var v) && v is TomlTable t)
                {
                    foreach (var k in t.Keys)
                    {
                        if (ConfigSchema.Find($"{strict}.{k}") is null)
                        {
                            var known = ConfigSchema.Keys.Where(x => x.Name.StartsWith(strict + ".", StringComparison.Ordinal)).Select(x => x.Name[(strict.Length + 1)..]).ToList();
                            var closest = KnownKeys.Closest(k, known);
                            Report(t, k, $"{prefix}{strict}.{k}", "UnknownKey",
                                $"Unknown key '{k}' in [{prefix}{strict}]{(closest is null ? "" : $"; did you mean '{closest}'?")}; known keys: {string.Join(", ", known)}.",
                                DiagnosticSeverity.Warning);
                        }
                    }
                }
            }
            CheckHostPatterns(into);
        }

        /// <summary>A warning, with the closest known key, for each key of <paramref name="table"/> that is not in <paramref name="known"/>.</summary>
        public void CheckKeys(TomlTable table, string prefix, IEnumerable<string> known)
        {
            var set = known.ToHashSet(StringComparer.Ordinal);
            foreach (var key in table.Keys)
            {
                if (set.Contains(key)) continue;
                Report(table, key, prefix + key, "UnknownKey", KnownKeys.Message(prefix + key, KnownKeys.Closest(key, set) is { } c ? prefix + c : null), DiagnosticSeverity.Warning);
            }
        }

        // Host patterns have their own grammar (no bare "*", no ports or schemes); errors point at the list's line.
        private void CheckHostPatterns(LayerSettings into)
        {
            var allowed = into.Values.GetValueOrDefault(Network.NetworkPolicyValidator.AllowedDomainsKey);
            var denied = into.Values.GetValueOrDefault(Network.NetworkPolicyValidator.DeniedDomainsKey);
            if (allowed is null && denied is null) return;
            var settings = new NetworkPolicySettings
            {
                AllowedDomains = allowed?.Value as IReadOnlyList<string> ?? [],
                DeniedDomains = denied?.Value as IReadOnlyList<string> ?? [],
            };
            foreach (var problem in Network.NetworkPolicyValidator.Validate(settings).Where(p => p.Severity == DiagnosticSeverity.Error))
            {
                var at = problem.Key == Network.NetworkPolicyValidator.AllowedDomainsKey ? allowed : denied;
                diagnostics.Add(new ConfigDiagnostic(DiagnosticSeverity.Error, problem.Id, file.Path, at?.Line ?? 0, 1, problem.Key, $"{problem.Key}: {problem.Message}."));
                into.Values.Remove(problem.Key);
            }
        }

        public Setting? ReadValue(TomlTable table, string name, string dotted, ConfigSchema.Key key, string? profile)
        {
            if (!table.TryGetValue(name, out var raw)) return null;
            var (line, _) = file.Locate(table, name);
            var source1 = profile is null ? source : PolicySource.Profile;
            object? value = Convert(table, name, dotted, key, raw);
            return value is null ? null : new Setting(value, source1, file.Path, line, profile);
        }

        private object? Convert(TomlTable table, string name, string dotted, ConfigSchema.Key key, object? raw)
        {
            switch (key.Kind)
            {
                case ConfigKeyKind.Bool:
                    if (raw is bool b) return b;
                    return Wrong(table, name, dotted, "a boolean (true or false)", raw);
                case ConfigKeyKind.String:
                    if (raw is string s) return s;
                    return Wrong(table, name, dotted, "a string", raw);
                case ConfigKeyKind.Choice:
                    if (raw is not string c)
                    {
                        return Wrong(table, name, dotted, key.Kind == ConfigKeyKind.ApprovalPolicy
                            ? $"one of {Quote(key.Choices!)} or {{ granular = {{ … }} }}" : $"one of {Quote(key.Choices!)}", raw);
                    }
                    if (!key.Choices!.Contains(c, StringComparer.Ordinal))
                    {
                        Report(table, name, dotted, "UnknownValue", $"{dotted} = \"{c}\" is not a valid value; accepted values: {Quote(key.Choices!)}.");
                        return null;
                    }
                    return c;
                case ConfigKeyKind.ApprovalPolicy:
                    if (raw is TomlTable approval) return GranularReader.Read(approval, dotted, (t, k, d, id, m) => Report(t, k, d, id, m));
                    goto case ConfigKeyKind.Choice;
                case ConfigKeyKind.PositiveInteger:
                    if (raw is long n && n > 0) return n;
                    if (raw is long) { Report(table, name, dotted, "OutOfRange", $"{dotted} must be greater than 0, not {raw}."); return null; }
                    return Wrong(table, name, dotted, "a positive integer", raw);
                case ConfigKeyKind.AbsolutePath:
                    if (raw is not string p) return Wrong(table, name, dotted, "an absolute path string", raw);
                    return CheckAbsolute(table, name, dotted, p);
                case ConfigKeyKind.AbsolutePathList:
                case ConfigKeyKind.StringList:
                    if (raw is not TomlArray array) return Wrong(table, name, dotted, "an array of strings", raw);
                    var list = new List<string>();
                    foreach (var item in array)
                    {
                        if (item is not string str) return Wrong(table, name, dotted, "an array of strings", item, "an array holding ");
                        if (key.Kind == ConfigKeyKind.AbsolutePathList)
                        {
                            if (CheckAbsolute(table, name, dotted, str) is not string abs) return null;
                            list.Add(abs);
                        }
                        else list.Add(str);
                    }
                    return list;
                case ConfigKeyKind.PortList:
                    if (raw is not TomlArray ports) return Wrong(table, name, dotted, "an array of port numbers", raw);
                    var portList = new List<int>();
                    foreach (var item in ports)
                    {
                        if (item is not long port) return Wrong(table, name, dotted, "an array of port numbers", item, "an array holding ");
                        if (port is < 1 or > 65535) { Report(table, name, dotted, "OutOfRange", $"{dotted}: {port} is not a TCP port (1-65535)."); return null; }
                        portList.Add((int)port);
                    }
                    return (IReadOnlyList<int>)portList;
                case ConfigKeyKind.StringTable:
                    if (raw is not TomlTable map) return Wrong(table, name, dotted, "a table of strings", raw);
                    var dict = new SortedDictionary<string, string>(StringComparer.Ordinal);
                    foreach (var (k, v) in map)
                    {
                        // Codex accepts numbers and booleans in `set` and passes their text.
                        dict[k] = v switch
                        {
                            string sv => sv,
                            bool bv => bv ? "true" : "false",
                            long or double => System.Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)!,
                            _ => null!,
                        };
                        if (dict[k] is null) return Wrong(map, k, $"{dotted}.{k}", "a string", v);
                    }
                    return (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(dict, StringComparer.Ordinal);
                default:
                    throw new InvalidOperationException(key.Kind.ToString());
            }
        }

        private string? CheckAbsolute(TomlTable table, string name, string dotted, string path)
        {
            var expanded = PathUtil.ExpandHome(path, home);
            if (Path.IsPathFullyQualified(expanded)) return expanded;
            Report(table, name, dotted, "RelativePath", $"{dotted}: '{path}' is not an absolute path; write it in full (or start it with ~/).");
            return null;
        }

        private object? Wrong(TomlTable table, string name, string dotted, string expected, object? actual, string lead = "")
        {
            Report(table, name, dotted, "WrongType", $"{dotted} must be {expected}, not {lead}{Describe(actual)}.");
            return null;
        }

        private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

        public void Report(TomlTable table, string name, string dotted, string id, string message, DiagnosticSeverity severity = DiagnosticSeverity.Error)
        {
            // A table of the wrong type is met once per key that lives in it; say so once.
            if (!_reported.Add(id + "|" + dotted)) return;
            var (line, column) = file.Locate(table, name);
            diagnostics.Add(new ConfigDiagnostic(severity, id, file.Path, line, column, dotted, message));
        }

        private static string Quote(IEnumerable<string> values) => string.Join(", ", values.Select(v => $"\"{v}\""));
    }
}
