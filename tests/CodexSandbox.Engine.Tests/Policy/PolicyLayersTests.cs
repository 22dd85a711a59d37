using System.Linq.Expressions;
using System.Reflection;
using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Policy;
using CodexSandbox.Engine.Policy.Layers;
using CodexSandbox.Engine.Tests.Configuration;

namespace CodexSandbox.Engine.Tests.Policy;

public class PolicyLayersTests
{
    // Read by the schema (so Test-SandboxConfig checks it) but used by no policy setting: the audit export's keys are
    // read by Export/ExportSettings from the system and user layers only, never from the policy's layers.
    private static readonly string[] NotInThePolicy =
        ["shell_environment_policy.experimental_use_profile", "sandbox_audit.syslog", "sandbox_audit.export_timeout_sec", "sandbox_audit.exit_flush_sec"];

    // The parameter that replaces each key's configured value.
    private static readonly Dictionary<string, PolicyOverrides> Parameters = new()
    {
        ["sandbox_mode"] = new PolicyOverrides { SandboxMode = SandboxMode.DangerFullAccess },
        ["approval_policy"] = new PolicyOverrides { ApprovalPolicy = ApprovalPolicy.Never },
        ["sandbox_network.mode"] = new PolicyOverrides { NetworkAccess = true },
    };

    public static IEnumerable<object[]> PolicyKeys() =>
        ConfigSchema.Keys.Where(k => !NotInThePolicy.Contains(k.Name)).Select(k => new object[] { k.Name });

    [Theory]
    [MemberData(nameof(PolicyKeys))]
    public void EveryKeyFillsExactlyOneTypedSettingWithItsOrigin(string key)
    {
        var values = LayerValuesReader.Read(Read("# one\n" + Toml(key)));
        var set = Properties.Where(p => p.GetValue(values) is not null).ToList();
        var property = Assert.Single(set);
        var origin = OriginOf(property.GetValue(values))!;
        Assert.Equal((key, PolicySource.User, "/c/config.toml"), (origin.Setting, origin.Source, origin.File));
        Assert.Equal(key.Contains('.') ? 3 : 2, origin.Line);
    }

    [Fact]
    public void EveryTypedSettingIsReadFromSomeKey()
    {
        var all = Read("profile = \"p\"\n" + Toml(ConfigSchema.Keys.Select(k => k.Name)));
        Assert.Empty(all.Diagnostics);
        var values = LayerValuesReader.Read(all);
        Assert.Empty(Properties.Where(p => p.GetValue(values) is null).Select(p => p.Name));
    }

    [Fact]
    public void KeysOutsideThePolicyAreNotRead()
    {
        var values = LayerValuesReader.Read(Read(Toml(NotInThePolicy)));
        Assert.Equal(LayerValues.Empty, values);
    }

    [Theory]
    [MemberData(nameof(PolicyKeys))]
    public void TheHighestLayerThatSetsAKeyWins(string key)
    {
        using var t = new TempTree();
        Directory.CreateDirectory(Path.Combine(t.Project, ".git"));
        // Comment lines put the key on a different line in each file, so the origin's line tells them apart.
        var system = t.SystemConfig("#\n" + Toml(key) + Toml(key, profile: "ci"));
        var user = t.UserConfig("#\n#\n" + Toml(key));
        t.Trust();
        var project = t.Write("work/proj/.codex/config.toml", "#\n#\n#\n" + Toml(key));
        int line = key.Contains('.') ? 1 : 0; // a table header before the key
        PolicyOrigin? Winner(PolicyOverrides? o = null) =>
            PickOrigin(PolicyLayers.For(ConfigLoader.Load(t.Request()), o ?? new PolicyOverrides()), PropertyFor(key));

        if (Parameters.TryGetValue(key, out var parameter))
        {
            Assert.Equal(PolicySource.Parameter, Winner(parameter with { Profile = "ci" })!.Source);
        }
        var fromProfile = Winner(new PolicyOverrides { Profile = "ci" })!;
        Assert.Equal((PolicySource.Profile, "ci", system, 4 + line), (fromProfile.Source, fromProfile.Profile, fromProfile.File, fromProfile.Line));
        Assert.Equal((PolicySource.Project, project, 4 + line), Where(Winner()));

        File.Delete(project);
        Assert.Equal((PolicySource.User, user, 3 + line), Where(Winner()));

        t.UserConfig("");
        Assert.Equal((PolicySource.System, system, 2 + line), Where(Winner()));

        t.SystemConfig("");
        Assert.Null(Winner());
    }

    [Fact]
    public void TheProfileParameterBeatsTheProfileKeyOfTheHighestFile()
    {
        using var t = new TempTree();
        t.SystemConfig("profile = \"a\"\n[profiles.a]\n[profiles.b]\n[profiles.c]\n");
        t.UserConfig("#\nprofile = \"b\"\n");
        var config = ConfigLoader.Load(t.Request());

        var byKey = PolicyLayers.For(config, new PolicyOverrides()).Profile!;
        Assert.Equal(("b", PolicySource.User, 2), (byKey.Value, byKey.Origin.Source, byKey.Origin.Line));
        var byParameter = PolicyLayers.For(config, new PolicyOverrides { Profile = "c" }).Profile!;
        Assert.Equal(("c", PolicySource.Parameter), (byParameter.Value, byParameter.Origin.Source));
    }

    [Fact]
    public void LayersAreOrderedSystemUserProjectProfileParameters()
    {
        using var t = new TempTree();
        Directory.CreateDirectory(Path.Combine(t.Project, ".git"));
        t.SystemConfig("sandbox_mode = \"read-only\"\n[profiles.ci]\nsandbox_mode = \"read-only\"\n");
        t.UserConfig("sandbox_mode = \"read-only\"\n");
        t.Trust();
        t.Write("work/proj/.codex/config.toml", "sandbox_mode = \"read-only\"\n");
        var layers = PolicyLayers.For(ConfigLoader.Load(t.Request()), new PolicyOverrides { Profile = "ci", SandboxMode = SandboxMode.ReadOnly });
        Assert.Equal([PolicySource.System, PolicySource.User, PolicySource.Project, PolicySource.Profile, PolicySource.Parameter],
            layers.Layers.Select(l => l.SandboxMode!.Origin.Source));
    }

    [Fact]
    public void ValuesAreTypedAndOriginsKeepTheSpellingOfTheFile()
    {
        var values = LayerValuesReader.Read(Read("sandbox_mode = \"workspace-write\"\n[sandbox_limits]\ncpu_seconds = 5\n[sandbox_linux]\ntmp = \"shared\"\n"));
        Assert.Equal(SandboxMode.WorkspaceWrite, values.SandboxMode!.Value);
        Assert.Equal("workspace-write", values.SandboxMode.Origin.Value);
        Assert.Equal(5L, values.CpuSeconds!.Value);
        Assert.Equal(("5", 3), (values.CpuSeconds.Origin.Value, values.CpuSeconds.Origin.Line));
        Assert.True(values.SharedTmp!.Value);
        Assert.Equal("shared", values.SharedTmp.Origin.Value);
    }

    [Fact]
    public void ParametersAreALayerWithTheirOwnProvenance()
    {
        var layer = new PolicyOverrides { NetworkAccess = false, ApprovalPolicy = ApprovalPolicy.OnFailure, WritableRoots = ["/x"] }.AsLayer();
        Assert.Equal(NetworkMode.Off, layer.NetworkMode!.Value);
        Assert.Equal(("network_access", "false", PolicySource.Parameter), (layer.NetworkMode.Origin.Setting, layer.NetworkMode.Origin.Value, layer.NetworkMode.Origin.Source));
        Assert.Equal("on-failure", layer.ApprovalPolicy!.Origin.Value);
        Assert.Null(layer.SandboxMode);
        Assert.Null(layer.WritableRoots); // -WritableRoot adds to the configured roots; it replaces nothing
    }

    [Fact]
    public void AWrongTypedValueIsAConfigErrorAtItsFileAndLine()
    {
        var settings = new LayerSettings();
        settings.Values["sandbox_workspace_write.network_access"] = new Setting("yes", PolicySource.User, "/c/config.toml", 7);
        var e = Assert.Throws<ConfigException>(() => LayerValuesReader.Read(settings));
        var error = Assert.Single(e.Errors);
        Assert.Equal(("WrongType", "sandbox_workspace_write.network_access", "/c/config.toml", 7), (error.Id, error.Key, error.Path, error.Line));
        Assert.Equal("sandbox_workspace_write.network_access must be a boolean (true or false), not a string.", error.Message);
        Assert.StartsWith("/c/config.toml:7:", e.Message);
    }

    [Fact]
    public void AWrongTypedValueInAFileStopsResolutionWithItsLocation()
    {
        using var t = new TempTree();
        var user = t.UserConfig("#\n[sandbox_limits]\ncpu_seconds = \"5\"\n");
        var e = Assert.Throws<ConfigException>(() => PolicyResolver.Resolve(ConfigLoader.Load(t.Request()), new PolicyOverrides(), new Dictionary<string, string>()));
        var error = Assert.Single(e.Errors);
        Assert.Equal(("WrongType", user, 3), (error.Id, error.Path, error.Line));
        Assert.StartsWith($"{user}:3:", e.Message);
    }

    [Fact]
    public void ProvenanceListsTheSettingsInResolutionOrder()
    {
        using var t = new TempTree();
        var extra = t.Dir("extra");
        t.SystemConfig("[profiles.ci]\napproval_policy = \"never\"\n");
        t.UserConfig(Toml(ConfigSchema.Keys.Select(k => k.Name).Where(k => k != "sandbox_mode")));
        t.Trust();
        var p = PolicyResolver.Resolve(ConfigLoader.Load(t.Request()),
            new PolicyOverrides { Profile = "ci", SandboxMode = SandboxMode.WorkspaceWrite, WritableRoots = [extra] }, new Dictionary<string, string>());
        Assert.Equal(
        [
            "profile", "trust_level", "sandbox_mode", "approval_policy", "sandbox_network.mode", "log_dir", "sandbox_audit.path",
            "sandbox_linux.tmp", "sandbox_workspace_write.exclude_slash_tmp", "sandbox_workspace_write.exclude_tmpdir_env_var",
            "sandbox_workspace_write.writable_roots", "writable_roots (added)",
            "shell_environment_policy.inherit", "shell_environment_policy.ignore_default_excludes", "shell_environment_policy.exclude",
            "shell_environment_policy.set", "shell_environment_policy.include_only",
            "sandbox_limits.cpu_seconds", "sandbox_limits.memory_mb", "sandbox_limits.max_processes", "sandbox_limits.file_size_mb",
            "sandbox_limits.open_files", "sandbox_limits.timeout_sec", "sandbox_limits.output_max_bytes",
            "sandbox_audit.enabled", "sandbox_audit.retention_days", "sandbox_audit.max_file_mb", "sandbox_audit.required",
            "sandbox_audit.record_output", "sandbox_audit.fsync", "sandbox_linux.namespaces",
            "sandbox_network.allowed_domains", "sandbox_network.denied_domains", "sandbox_network.allowed_ports",
            "sandbox_rollback.checkpoint", "deny_read", "sandbox_credentials.deny_read",
            "sandbox_network.allow_local_binding", "sandbox_rollback.max_snapshot_mb",
        ], p.Provenance.Select(o => o.Setting));
        Assert.Equal(PolicySource.Profile, p.Provenance.Single(o => o.Setting == "approval_policy").Source);
    }

    private static readonly PropertyInfo[] Properties = typeof(LayerValues).GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(Sourced<>)).ToArray();

    private static LayerSettings Read(string toml) => LayerReader.Read(ConfigFile.Parse("/c/config.toml", toml), PolicySource.User, "/home/u");

    // Many keys in one document: top-level keys first, then one header per table.
    private static string Toml(IEnumerable<string> keys) => string.Concat(keys
        .GroupBy(Table).OrderBy(g => g.Key is not null)
        .Select(g => (g.Key is null ? "" : $"[{g.Key}]\n") + string.Concat(g.Select(Line))));

    // The key with a valid value, under its table's header (a profile's table when given).
    private static string Toml(string key, string? profile = null)
    {
        var table = Table(key);
        var header = profile is null ? table : table is null ? $"profiles.{profile}" : $"profiles.{profile}.{table}";
        return (header is null ? "" : $"[{header}]\n") + Line(key);
    }

    private static string? Table(string key) => key.Contains('.') ? key[..key.LastIndexOf('.')] : null;

    private static string Line(string key)
    {
        var schema = ConfigSchema.Find(key)!;
        var value = schema.Kind switch
        {
            ConfigKeyKind.Bool => "true",
            ConfigKeyKind.Choice or ConfigKeyKind.ApprovalPolicy => $"\"{schema.Choices![^1]}\"",
            ConfigKeyKind.PositiveInteger => "7",
            ConfigKeyKind.AbsolutePath => "\"/abs\"",
            ConfigKeyKind.AbsolutePathList => "[\"/abs\"]",
            ConfigKeyKind.StringList => "[\"example.com\"]",
            ConfigKeyKind.StringTable => "{ A = \"1\" }",
            ConfigKeyKind.PortList => "[8080]",
            _ => "\"x\"",
        };
        return $"{key[(key.LastIndexOf('.') + 1)..]} = {value}\n";
    }

    private static PropertyInfo PropertyFor(string key)
    {
        var values = LayerValuesReader.Read(Read(Toml(key)));
        return Properties.Single(p => p.GetValue(values) is not null);
    }

    private static PolicyOrigin? OriginOf(object? sourced) => (PolicyOrigin?)sourced?.GetType().GetProperty(nameof(Sourced<int>.Origin))!.GetValue(sourced);

    private static (PolicySource, string?, int) Where(PolicyOrigin? origin) => (origin!.Source, origin.File, origin.Line);

    // PolicyLayers.Pick for the setting held by `property`, whatever its type.
    private static PolicyOrigin? PickOrigin(PolicyLayers layers, PropertyInfo property)
    {
        var layer = Expression.Parameter(typeof(LayerValues));
        var selector = Expression.Lambda(typeof(Func<,>).MakeGenericType(typeof(LayerValues), property.PropertyType), Expression.Property(layer, property), layer).Compile();
        var pick = typeof(PolicyLayers).GetMethod(nameof(PolicyLayers.Pick))!.MakeGenericMethod(property.PropertyType.GetGenericArguments()[0]);
        return OriginOf(pick.Invoke(layers, [selector]));
    }
}
