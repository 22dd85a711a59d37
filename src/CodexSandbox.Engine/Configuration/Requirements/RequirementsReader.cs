using CodexSandbox.Engine.Policy;
using CodexSandbox.Engine.Policy.Layers;
using CodexSandbox.Engine.Rules;
using Tomlyn.Model;

namespace CodexSandbox.Engine.Configuration.Requirements;

/// <summary>
/// Reads <c>requirements.toml</c> (codex-config-2026.md §6) with every check Codex makes when it loads the file, and a
/// diagnostic with file:line for each problem. Keys of Codex's requirements that do not bear on sandboxing (web search,
/// features, hooks, MCP, plugins…) are accepted silently; a key neither knows warns with the closest known key.
/// </summary>
public static class RequirementsReader
{
    /// <summary>The file's name in the system folder.</summary>
    public const string FileName = "requirements.toml";

    /// <summary>Every top-level key of Codex's <c>ConfigRequirementsToml</c>.</summary>
    public static readonly IReadOnlyList<string> KnownKeys =
    [
        "allowed_approval_policies", "allowed_approvals_reviewers", "allowed_sandbox_modes", "allowed_permission_profiles",
        "default_permissions", "remote_sandbox_config", "allowed_web_search_modes", "allow_managed_hooks_only", "allow_appshots",
        "allow_remote_control", "computer_use", "windows", "features", "feature_requirements", "hooks", "mcp_servers", "plugins",
        "apps", "rules", "enforce_residency", "experimental_network", "permissions", "guardian_policy_config",
    ];

    private static readonly string[] s_modes = ["read-only", "workspace-write", "danger-full-access", "external-sandbox"];
    private static readonly string[] s_networkKeys =
    [
        "enabled", "http_port", "socks_port", "allow_upstream_proxy", "dangerously_allow_non_loopback_proxy", "dangerously_allow_all_unix_sockets",
        "domains", "allowed_domains", "denied_domains", "managed_allowed_domains_only", "unix_sockets", "allow_unix_sockets", "allow_local_binding",
    ];

    /// <summary>The requirements of <paramref name="systemDirectory"/>, or null when it has no requirements file.</summary>
    public static SystemRequirements? Load(string systemDirectory, string home)
    {
        var path = System.IO.Path.Combine(systemDirectory, FileName);
        if (!File.Exists(path)) return null;
        // the parse cache hands back the same ConfigFile while the file is unchanged, so a warm session reads it once
        var file = ConfigLoader.Parse(path);
        if (s_last is { } last && ReferenceEquals(last.File, file) && last.Home == home) return last.Result;
        var result = Read(file, home, null);
        s_last = new Last(file, home, result);
        return result;
    }

    // one reference, swapped whole: sessions on other threads see an old entry or a new one, never half of one
    private sealed record Last(ConfigFile File, string Home, SystemRequirements Result);
    private static volatile Last? s_last;

    /// <param name="hostName">The host name <c>[[remote_sandbox_config]]</c> patterns match; null: this machine's.</param>
    public static SystemRequirements Read(ConfigFile file, string home, string? hostName)
    {
        var r = new Reader(file, home);
        r.Diagnostics.AddRange(file.SyntaxErrors);
        var root = file.Root;
        foreach (var key in root.Keys.Where(k => !KnownKeys.Contains(k, StringComparer.Ordinal)))
        {
            r.Warn(root, key, key, "UnknownKey", Configuration.KnownKeys.Message(key, Configuration.KnownKeys.Closest(key, KnownKeys)) + " (requirements.toml)");
        }

        var modes = r.Modes(root, "allowed_sandbox_modes", "allowed_sandbox_modes");
        modes = RemoteModes(r, root, hostName) ?? modes;
        if (modes is not null && !modes.Value.Contains("read-only", StringComparer.Ordinal))
        {
            r.Error(root, "allowed_sandbox_modes", "allowed_sandbox_modes", "RequirementInvalid",
                $"invalid value for `allowed_sandbox_modes`: `[{string.Join(", ", modes.Value)}]` must include 'read-only' to allow any PermissionProfile");
        }
        var approvals = r.Approvals(root);
        var profiles = r.BoolTable(root, "allowed_permission_profiles");
        var defaultPermissions = r.String(root, "default_permissions");
        var (managed, denyRead) = r.Permissions(root);
        var rules = r.Rules(root);
        var network = r.Network(root);

        // What Codex checks when it applies the file (core config: validate_required_permission_profile_catalog).
        if (defaultPermissions is not null && profiles is null)
        {
            r.Error(root, "default_permissions", "default_permissions", "RequirementInvalid", "requirements.toml default_permissions requires allowed_permission_profiles");
        }
        if (profiles is not null)
        {
            foreach (var id in profiles.Value.Keys.Where(id => id.StartsWith(':') && !Policy.Permissions.ProfileChain.BuiltIns.Contains(id)))
            {
                r.Error(root, "allowed_permission_profiles", "allowed_permission_profiles", "RequirementInvalid",
                    $"requirements.toml allowed_permission_profiles refers to undefined profile `{id}`");
            }
            var fallback = defaultPermissions?.Value ?? ImplicitDefault(profiles.Value);
            if (fallback is null)
            {
                r.Error(root, "allowed_permission_profiles", "allowed_permission_profiles", "RequirementInvalid",
                    "requirements.toml default_permissions must be set unless allowed_permission_profiles allows both `:workspace` and `:read-only`");
            }
            else if (!profiles.Value.GetValueOrDefault(fallback))
            {
                r.Error(root, "default_permissions", "default_permissions", "RequirementInvalid",
                    $"requirements.toml default_permissions `{fallback}` must be allowed by allowed_permission_profiles");
            }
            else if (defaultPermissions is null)
            {
                defaultPermissions = new Sourced<string>(fallback, new PolicyOrigin("default_permissions", fallback, PolicySource.Requirements, file.Path, profiles.Origin.Line));
            }
        }

        var constraints = new List<PolicyOrigin>();
        void Show<T>(Sourced<T>? s) { if (s is not null) constraints.Add(s.Origin); }
        Show(modes);
        Show(approvals);
        Show(profiles);
        Show(defaultPermissions);
        foreach (var (id, table) in managed)
        {
            var (line, _) = file.Locate(table.Table, table.Table.Keys.FirstOrDefault() ?? "");
            constraints.Add(new PolicyOrigin($"permissions.{id}", "managed profile", PolicySource.Requirements, file.Path, line));
        }
        Show(denyRead);
        constraints.AddRange(rules.Select(rule => new PolicyOrigin("rules.prefix_rules", rule.ToString(), PolicySource.Requirements, file.Path, rule.SourceLine)));
        if (network is not null) constraints.Add(network.Origin);

        return new SystemRequirements
        {
            Path = file.Path,
            AllowedSandboxModes = modes,
            AllowedApprovalPolicies = approvals,
            AllowedPermissionProfiles = profiles,
            DefaultPermissions = defaultPermissions,
            Permissions = managed,
            DenyRead = denyRead,
            PrefixRules = rules,
            Network = network,
            Constraints = constraints,
            Diagnostics = r.Diagnostics,
        };
    }

    /// <summary><c>:workspace</c> when both <c>:workspace</c> and <c>:read-only</c> are allowed, as Codex defaults it.</summary>
    private static string? ImplicitDefault(IReadOnlyDictionary<string, bool> allowed) =>
        allowed.GetValueOrDefault(Policy.Permissions.ProfileChain.Workspace) && allowed.GetValueOrDefault(Policy.Permissions.ProfileChain.ReadOnly) ? Policy.Permissions.ProfileChain.Workspace : null;

    // [[remote_sandbox_config]]: the first entry whose hostname_patterns match this host replaces allowed_sandbox_modes.
    private static Sourced<IReadOnlyList<string>>? RemoteModes(Reader r, TomlTable root, string? hostName)
    {
        if (!root.TryGetValue("remote_sandbox_config", out var value)) return null;
        if (value is not TomlTableArray entries)
        {
            r.Wrong(root, "remote_sandbox_config", "remote_sandbox_config", "an array of tables ([[remote_sandbox_config]])", value);
            return null;
        }
        var host = (hostName ?? System.Net.Dns.GetHostName()).Trim().TrimEnd('.').ToLowerInvariant();
        Sourced<IReadOnlyList<string>>? chosen = null;
        foreach (var entry in entries)
        {
            var patterns = r.Strings(entry, "hostname_patterns", "remote_sandbox_config.hostname_patterns");
            var modes = r.Modes(entry, "allowed_sandbox_modes", "remote_sandbox_config.allowed_sandbox_modes");
            if (chosen is null && patterns is not null && modes is not null && patterns.Value.Any(p => HostMatches(host, p)))
            {
                chosen = modes;
            }
        }
        return chosen;
    }

    private static bool HostMatches(string host, string pattern)
    {
        var p = pattern.Trim().TrimEnd('.').ToLowerInvariant();
        if (p.Length == 0) return false;
        var regex = "^" + System.Text.RegularExpressions.Regex.Escape(p).Replace("\\*", ".*").Replace("\\?", ".") + "$";
        return System.Text.RegularExpressions.Regex.IsMatch(host, regex);
    }

    private sealed class Reader(ConfigFile file, string home)
    {
        public List<ConfigDiagnostic> Diagnostics { get; } = [];

        public PolicyOrigin Origin(TomlTable table, string key, string dotted, string shown)
        {
            var (line, _) = file.Locate(table, key);
            return new PolicyOrigin(dotted, shown, PolicySource.Requirements, file.Path, line);
        }

        public void Error(TomlTable table, string key, string dotted, string id, string message) => Add(DiagnosticSeverity.Error, table, key, dotted, id, message);

        public void Warn(TomlTable table, string key, string dotted, string id, string message) => Add(DiagnosticSeverity.Warning, table, key, dotted, id, message);

        private void Add(DiagnosticSeverity severity, TomlTable table, string key, string dotted, string id, string message)
        {
            var (line, column) = file.Locate(table, key);
            Diagnostics.Add(new ConfigDiagnostic(severity, id, file.Path, line, column, dotted, message));
        }

        public void Wrong(TomlTable table, string key, string dotted, string expected, object? actual) =>
            Error(table, key, dotted, "WrongType", $"{dotted} must be {expected}, not {LayerReader.Describe(actual)}.");

        public Sourced<string>? String(TomlTable table, string key)
        {
            if (!table.TryGetValue(key, out var value)) return null;
            if (value is string s) return new Sourced<string>(s, Origin(table, key, key, s));
            Wrong(table, key, key, "a string", value);
            return null;
        }

        public Sourced<IReadOnlyList<string>>? Strings(TomlTable table, string key, string dotted)
        {
            if (!table.TryGetValue(key, out var value)) return null;
            if (value is TomlArray array && array.All(item => item is string))
            {
                var list = array.Cast<string>().ToList();
                return new Sourced<IReadOnlyList<string>>(list, Origin(table, key, dotted, Setting.Format(list)));
            }
            Wrong(table, key, dotted, "an array of strings", value);
            return null;
        }

        public Sourced<IReadOnlyList<string>>? Modes(TomlTable table, string key, string dotted)
        {
            var modes = Strings(table, key, dotted);
            if (modes is null) return null;
            foreach (var mode in modes.Value.Where(m => !s_modes.Contains(m, StringComparer.Ordinal)))
            {
                Error(table, key, dotted, "UnknownValue", $"{dotted}: \"{mode}\" is not a sandbox mode; accepted values: {string.Join(", ", s_modes.Select(m => $"\"{m}\""))}.");
                return null;
            }
            return modes;
        }

        public Sourced<IReadOnlyList<AllowedApproval>>? Approvals(TomlTable root)
        {
            const string key = "allowed_approval_policies";
            if (!root.TryGetValue(key, out var value)) return null;
            if (value is not TomlArray array)
            {
                Wrong(root, key, key, "an array of approval policies", value);
                return null;
            }
            var list = new List<AllowedApproval>();
            foreach (var item in array)
            {
                switch (item)
                {
                    case string s when s is "untrusted" or "on-failure" or "on-request" or "never":
                        list.Add(new AllowedApproval(ConfigNames.ParseApproval(s)));
                        break;
                    case string s:
                        Error(root, key, key, "UnknownValue", $"{key}: \"{s}\" is not an approval policy; accepted values: \"untrusted\", \"on-failure\", \"on-request\", \"never\" or {{ granular = {{ … }} }}.");
                        return null;
                    case TomlTable t:
                        var flags = GranularReader.Read(t, key, (tt, k, d, id, m) => Error(tt, k, d, id, m));
                        if (flags is null) return null;
                        list.Add(new AllowedApproval(ApprovalPolicy.Granular, flags));
                        break;
                    default:
                        Wrong(root, key, key, "an array of approval policies", item);
                        return null;
                }
            }
            if (list.Count == 0)
            {
                Error(root, key, key, "RequirementInvalid", $"field `{key}` cannot be empty");
                return null;
            }
            return new Sourced<IReadOnlyList<AllowedApproval>>(list, Origin(root, key, key, "[" + string.Join(", ", list) + "]"));
        }

        public Sourced<IReadOnlyDictionary<string, bool>>? BoolTable(TomlTable root, string key)
        {
            if (!root.TryGetValue(key, out var value)) return null;
            if (value is not TomlTable table)
            {
                Wrong(root, key, key, "a table of profile id = true/false", value);
                return null;
            }
            var map = new SortedDictionary<string, bool>(StringComparer.Ordinal);
            foreach (var (id, on) in table)
            {
                if (on is bool b) map[id] = b;
                else { Wrong(table, id, $"{key}.\"{id}\"", "a boolean", on); return null; }
            }
            var shown = "{" + string.Join(", ", map.Select(kv => $"{kv.Key}={(kv.Value ? "true" : "false")}")) + "}";
            return new Sourced<IReadOnlyDictionary<string, bool>>(new Dictionary<string, bool>(map, StringComparer.Ordinal), Origin(root, key, key, shown));
        }

        /// <summary>Managed <c>[permissions.&lt;id&gt;]</c> profiles and the reserved <c>[permissions.filesystem] deny_read</c>.</summary>
        public (Dictionary<string, PermissionsTable> Managed, Sourced<IReadOnlyList<string>>? DenyRead) Permissions(TomlTable root)
        {
            var managed = new Dictionary<string, PermissionsTable>(StringComparer.Ordinal);
            Sourced<IReadOnlyList<string>>? denyRead = null;
            if (!root.TryGetValue("permissions", out var value)) return (managed, null);
            if (value is not TomlTable permissions)
            {
                Wrong(root, "permissions", "permissions", "a table", value);
                return (managed, null);
            }
            foreach (var (id, entry) in permissions)
            {
                if (entry is not TomlTable table)
                {
                    Wrong(permissions, id, $"permissions.{id}", "a table", entry);
                    continue;
                }
                if (id == "filesystem")
                {
                    // reserved: the managed filesystem constraints, never a profile
                    foreach (var k in table.Keys.Where(k => k != "deny_read"))
                    {
                        Error(table, k, $"permissions.filesystem.{k}", "RequirementInvalid",
                            $"[permissions.filesystem] in requirements.toml holds only deny_read; it cannot define a permission profile (`{k}`).");
                    }
                    denyRead = DenyRead(table);
                    continue;
                }
                if (id.StartsWith(':'))
                {
                    Error(permissions, id, $"permissions.{id}", "ReservedProfileName", $"permissions profile `{id}` uses a reserved built-in profile prefix");
                    continue;
                }
                foreach (var k in table.Keys.Where(k => !Configuration.KnownKeys.PermissionProfile.Contains(k, StringComparer.Ordinal)))
                {
                    Warn(table, k, $"permissions.{id}.{k}", "UnknownKey", Configuration.KnownKeys.Message($"permissions.{id}.{k}",
                        Configuration.KnownKeys.Closest(k, Configuration.KnownKeys.PermissionProfile) is { } c ? $"permissions.{id}.{c}" : null));
                }
                managed[id] = new PermissionsTable(id, table, file, PolicySource.Requirements);
            }
            return (managed, denyRead);
        }

        // Relative entries resolve against the requirements file's folder, as Codex resolves them.
        private Sourced<IReadOnlyList<string>>? DenyRead(TomlTable table)
        {
            var list = Strings(table, "deny_read", "permissions.filesystem.deny_read");
            if (list is null) return null;
            var folder = System.IO.Path.GetDirectoryName(file.Path)!;
            var resolved = new List<string>();
            foreach (var entry in list.Value)
            {
                var expanded = PathUtil.ExpandHome(entry, home);
                resolved.Add(System.IO.Path.IsPathRooted(expanded) ? PathUtil.Normalize(expanded) : PathUtil.Normalize(System.IO.Path.Join(folder, expanded)));
            }
            var o = list.Origin;
            return new Sourced<IReadOnlyList<string>>(resolved, new PolicyOrigin(o.Setting, Setting.Format(resolved), o.Source, o.File, o.Line));
        }

        /// <summary><c>[rules] prefix_rules</c>: prompt or forbidden only (they overlay the user's rules; the strictest wins).</summary>
        public List<PrefixRule> Rules(TomlTable root)
        {
            var rules = new List<PrefixRule>();
            if (!root.TryGetValue("rules", out var value)) return rules;
            if (value is not TomlTable table) { Wrong(root, "rules", "rules", "a table", value); return rules; }
            foreach (var k in table.Keys.Where(k => k != "prefix_rules"))
            {
                Warn(table, k, $"rules.{k}", "UnknownKey", Configuration.KnownKeys.Message($"rules.{k}", "rules.prefix_rules"));
            }
            if (!table.TryGetValue("prefix_rules", out var raw)) return rules;
            // written inline ([{ … }]) it is an array of tables; as [[rules.prefix_rules]] a table array
            IReadOnlyList<TomlTable>? array = raw switch
            {
                TomlTableArray tables => tables.ToList(),
                TomlArray items when items.All(i => i is TomlTable) => items.Cast<TomlTable>().ToList(),
                _ => null,
            };
            if (array is null)
            {
                Wrong(table, "prefix_rules", "rules.prefix_rules", "an array of tables ({ pattern = [...], decision = \"prompt\" })", raw);
                return rules;
            }
            if (array.Count == 0) Error(table, "prefix_rules", "rules.prefix_rules", "RequirementInvalid", "rules prefix_rules cannot be empty");
            int index = 0;
            foreach (var rule in array)
            {
                rules.AddRange(PrefixRulesOf(rule, index++));
            }
            return rules;
        }

        private IEnumerable<PrefixRule> PrefixRulesOf(TomlTable rule, int index)
        {
            var dotted = $"rules.prefix_rules[{index}]";
            var first = rule.Keys.FirstOrDefault() ?? "pattern";
            var (line, _) = file.Locate(rule, first);
            if (rule.TryGetValue("pattern", out var p) is false || p is not TomlArray pattern || pattern.Count == 0)
            {
                Error(rule, first, dotted, "RequirementInvalid", $"rules prefix_rule at index {index} has an empty pattern");
                return [];
            }
            var tokens = new List<IReadOnlyList<string>>();
            int t = 0;
            foreach (var item in pattern)
            {
                string? reason = null;
                IReadOnlyList<string>? alternatives = null;
                if (item is not TomlTable token) reason = "a token must be { token = \"…\" } or { any_of = [\"…\"] }";
                else
                {
                    token.TryGetValue("token", out var single);
                    token.TryGetValue("any_of", out var anyOf);
                    if (single is not null && anyOf is not null) reason = "set either token or any_of, not both";
                    else if (single is string s) { if (s.Length == 0) reason = "token cannot be empty"; else alternatives = [s]; }
                    else if (anyOf is TomlArray list && list.All(x => x is string))
                    {
                        var words = list.Cast<string>().ToList();
                        if (words.Count == 0) reason = "any_of cannot be empty";
                        else if (words.Any(w => w.Length == 0)) reason = "any_of cannot include empty tokens";
                        else alternatives = words;
                    }
                    else reason = "set either token or any_of";
                }
                if (reason is not null)
                {
                    Error(rule, "pattern", dotted, "RequirementInvalid", $"rules prefix_rule at index {index} has an invalid pattern token at index {t}: {reason}");
                    return [];
                }
                tokens.Add(alternatives!);
                t++;
            }
            RuleDecision decision;
            switch (rule.TryGetValue("decision", out var d) ? d : null)
            {
                case null:
                    Error(rule, first, dotted, "RequirementInvalid", $"rules prefix_rule at index {index} is missing a decision");
                    return [];
                case "prompt": decision = RuleDecision.Prompt; break;
                case "forbidden": decision = RuleDecision.Forbidden; break;
                case "allow":
                    Error(rule, "decision", dotted + ".decision", "RequirementInvalid",
                        $"rules prefix_rule at index {index} has decision 'allow', which is not permitted in requirements.toml: Codex merges these rules with other config and uses the most restrictive result (use 'prompt' or 'forbidden')");
                    return [];
                default:
                    Error(rule, "decision", dotted + ".decision", "UnknownValue", $"{dotted}.decision must be \"prompt\" or \"forbidden\".");
                    return [];
            }
            string? justification = null;
            if (rule.TryGetValue("justification", out var j))
            {
                if (j is not string js) { Wrong(rule, "justification", dotted + ".justification", "a string", j); return []; }
                if (js.Trim().Length == 0) { Error(rule, "justification", dotted + ".justification", "RequirementInvalid", $"rules prefix_rule at index {index} has an empty justification"); return []; }
                justification = js;
            }
            // a first-position alternative list is one rule per program, as in the .rules language
            var rest = tokens.Skip(1).ToList();
            return tokens[0].Select(program => new PrefixRule(program, rest, decision, justification, file.Path, line)).ToList();
        }

        public RequiredNetwork? Network(TomlTable root)
        {
            const string prefix = "experimental_network";
            if (!root.TryGetValue(prefix, out var value)) return null;
            if (value is not TomlTable net) { Wrong(root, prefix, prefix, "a table", value); return null; }
            foreach (var k in net.Keys.Where(k => !s_networkKeys.Contains(k, StringComparer.Ordinal)))
            {
                Warn(net, k, $"{prefix}.{k}", "UnknownKey", Configuration.KnownKeys.Message($"{prefix}.{k}",
                    Configuration.KnownKeys.Closest(k, s_networkKeys) is { } c ? $"{prefix}.{c}" : null));
            }
            bool? Bool(string key)
            {
                if (!net.TryGetValue(key, out var v)) return null;
                if (v is bool b) return b;
                Wrong(net, key, $"{prefix}.{key}", "a boolean (true or false)", v);
                return null;
            }
            foreach (var port in new[] { "http_port", "socks_port" })
            {
                if (net.TryGetValue(port, out var v) && v is not long { } n) Wrong(net, port, $"{prefix}.{port}", "a port number", v);
                else if (v is long n2 && n2 is < 1 or > 65535) Error(net, port, $"{prefix}.{port}", "OutOfRange", $"{prefix}.{port}: {n2} is not a TCP port (1-65535).");
            }
            var enabled = Bool("enabled");
            var localBinding = Bool("allow_local_binding");
            var managedOnly = Bool("managed_allowed_domains_only");
            foreach (var relaxing in new[] { "allow_upstream_proxy", "dangerously_allow_non_loopback_proxy", "dangerously_allow_all_unix_sockets" })
            {
                Bool(relaxing);
            }
            var allowed = new List<string>();
            var denied = new List<string>();
            bool tables = net.ContainsKey("domains") || net.ContainsKey("unix_sockets");
            bool lists = net.ContainsKey("allowed_domains") || net.ContainsKey("denied_domains") || net.ContainsKey("allow_unix_sockets");
            if (tables && lists)
            {
                Error(net, net.Keys.First(k => k is "allowed_domains" or "denied_domains" or "allow_unix_sockets"), prefix, "RequirementInvalid",
                    "[experimental_network] mixes the legacy lists (allowed_domains, denied_domains, allow_unix_sockets) with the domains / unix_sockets tables; use the tables only.");
            }
            if (net.TryGetValue("domains", out var d))
            {
                if (d is not TomlTable domains) Wrong(net, "domains", $"{prefix}.domains", "a table of host = \"allow\" | \"deny\"", d);
                else
                {
                    foreach (var (host, access) in domains)
                    {
                        if (access is "allow") allowed.Add(host);
                        else if (access is "deny") denied.Add(host);
                        else Error(domains, host, $"{prefix}.domains.\"{host}\"", "UnknownValue", $"{prefix}.domains.\"{host}\" must be \"allow\" or \"deny\".");
                    }
                }
            }
            if (Strings(net, "allowed_domains", $"{prefix}.allowed_domains") is { } a) allowed.AddRange(a.Value);
            if (Strings(net, "denied_domains", $"{prefix}.denied_domains") is { } dn) denied.AddRange(dn.Value);
            if (net.TryGetValue("unix_sockets", out var u) && u is not TomlTable) Wrong(net, "unix_sockets", $"{prefix}.unix_sockets", "a table of path = \"allow\" | \"deny\"", u);
            Strings(net, "allow_unix_sockets", $"{prefix}.allow_unix_sockets");
            foreach (var problem in CodexSandbox.Engine.Network.NetworkPolicyValidator.Validate(new NetworkPolicySettings { AllowedDomains = allowed, DeniedDomains = denied })
                         .Where(p => p.Severity == DiagnosticSeverity.Error))
            {
                Error(root, prefix, prefix, problem.Id, $"{prefix}: {problem.Message}.");
            }
            var shown = $"enabled={(enabled is null ? "unset" : enabled.Value ? "true" : "false")}, allow=[{string.Join(", ", allowed)}], deny=[{string.Join(", ", denied)}]" +
                (managedOnly is true ? ", managed_allowed_domains_only" : "") + (localBinding is false ? ", allow_local_binding=false" : "");
            return new RequiredNetwork
            {
                Enabled = enabled, AllowedDomains = allowed, DeniedDomains = denied, ManagedAllowedDomainsOnly = managedOnly ?? false,
                AllowLocalBinding = localBinding, Origin = Origin(root, prefix, prefix, shown),
            };
        }
    }
}
