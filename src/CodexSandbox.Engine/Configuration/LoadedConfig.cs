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

    public IEnumerable<string> ProfileNames => Layers.SelectMany(l => l.Settings.Profiles.Keys).Distinct().Order(StringComparer.Ordinal);
}
