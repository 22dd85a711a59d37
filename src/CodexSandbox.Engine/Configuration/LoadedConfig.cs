namespace CodexSandbox.Engine.Configuration;

/// <summary>The config layers in effect for one working directory, read and merged.</summary>
public sealed class LoadedConfig
{
    internal LoadedConfig(ConfigRequest request, IReadOnlyList<(ConfigLayer Layer, LayerSettings Settings)> layers,
        string? projectRoot, Setting? trust, IReadOnlyList<string> skippedProjectFiles)
    {
        Request = request;
        Layers = layers;
        ProjectRoot = projectRoot;
        Trust = trust;
        SkippedProjectFiles = skippedProjectFiles;
    }

    public ConfigRequest Request { get; }
    /// <summary>Lowest precedence first.</summary>
    public IReadOnlyList<(ConfigLayer Layer, LayerSettings Settings)> Layers { get; }
    public string? ProjectRoot { get; }
    /// <summary>The trust decision for the project, from the system or user layer.</summary>
    public Setting? Trust { get; }
    /// <summary>Project config files that exist but were not loaded because the project is not trusted.</summary>
    public IReadOnlyList<string> SkippedProjectFiles { get; }
    /// <summary>The selected profile's file, <c>$CODEX_HOME/&lt;name&gt;.config.toml</c>, when it exists (it is one of <see cref="Layers"/>).</summary>
    public string? ProfileFile { get; init; }

    /// <summary>The administrator's <c>requirements.toml</c> from the system folder, or null when there is none.</summary>
    public Requirements.SystemRequirements? Requirements { get; init; }

    public IEnumerable<ConfigDiagnostic> Diagnostics => Layers.SelectMany(l => l.Settings.Diagnostics);

    /// <summary>The value of <paramref name="key"/> from the highest layer that sets it.</summary>
    public Setting? Get(string key)
    {
        for (int i = Layers.Count - 1; i >= 0; i--)
        {
            if (Layers[i].Settings.Values.TryGetValue(key, out var s)) return s;
        }
        return null;
    }

    /// <summary>The named profile merged over the layers: a higher layer's profile table replaces a lower one's keys.</summary>
    public LayerSettings? FindProfile(string name)
    {
        LayerSettings? merged = null;
        foreach (var (_, settings) in Layers)
        {
            if (!settings.Profiles.TryGetValue(name, out var p)) continue;
            merged ??= new LayerSettings();
            foreach (var (k, v) in p.Values) merged.Values[k] = v;
        }
        return merged;
    }

    /// <summary>The ids of the <c>[permissions.&lt;id&gt;]</c> tables of every layer.</summary>
    public IEnumerable<string> PermissionProfileIds => Layers.SelectMany(l => l.Settings.Permissions.Keys).Distinct().Order(StringComparer.Ordinal);

    /// <summary>The legacy <c>[profiles.&lt;name&gt;]</c> tables of every layer and the profile files in <c>$CODEX_HOME</c>.</summary>
    public IEnumerable<string> ProfileNames => Layers.SelectMany(l => l.Settings.Profiles.Keys)
        .Concat(ProfileFiles.Names(Request.CodexHome)).Distinct().Order(StringComparer.Ordinal);
}
