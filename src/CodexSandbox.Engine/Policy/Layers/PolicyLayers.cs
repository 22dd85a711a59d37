using CodexSandbox.Engine.Configuration;

namespace CodexSandbox.Engine.Policy.Layers;

/// <summary>
/// The layers a policy is resolved from, lowest precedence first: the system file (<c>/etc/codex</c>), the user file
/// (<c>$CODEX_HOME</c> or <c>-ConfigPath</c>), a trusted project's <c>.codex</c> files from its root down to the working
/// directory, the selected profile (merged over every file's <c>[profiles.&lt;name&gt;]</c>), and the cmdlet's parameters.
/// A setting's value comes from the highest layer that sets it.
/// </summary>
public sealed class PolicyLayers
{
    public PolicyLayers(IReadOnlyList<LayerValues> lowestFirst, Sourced<string>? profile = null, Sourced<string>? trust = null)
    {
        Layers = lowestFirst;
        Profile = profile;
        Trust = trust;
    }

    /// <summary>Lowest precedence first.</summary>
    public IReadOnlyList<LayerValues> Layers { get; }

    /// <summary>The selected profile's name and what selected it, or null.</summary>
    public Sourced<string>? Profile { get; }

    /// <summary>The project's trust decision (<c>trusted</c> or <c>untrusted</c>; only the system and user files may make it), or null.</summary>
    public Sourced<string>? Trust { get; }

    /// <summary>The value of one setting from the highest layer that sets it, or null when none does.</summary>
    public Sourced<T>? Pick<T>(Func<LayerValues, Sourced<T>?> setting) => Pick(Layers, setting);

    /// <summary>Reads the layers in effect for <paramref name="config"/> and <paramref name="overrides"/>, and selects the profile.</summary>
    /// <exception cref="ProfileNotFoundException">The profile named by <c>-Profile</c> or the <c>profile</c> key is defined nowhere.</exception>
    public static PolicyLayers For(LoadedConfig config, PolicyOverrides overrides)
    {
        var files = config.Layers.Select(l => LayerValuesReader.Read(l.Settings)).ToList();
        var parameters = overrides.AsLayer();
        // -Profile beats the `profile` key; a profile table cannot name another profile.
        var profile = Pick([.. files, parameters], l => l.Profile);
        var layers = files;
        if (profile is not null && ProfileLayer(config, profile) is { } legacy) layers.Add(legacy);
        layers.Add(parameters);
        return new PolicyLayers(layers, profile, LayerValuesReader.Typed<string>(config.Trust, "trust_level"));
    }

    // The profile file is already one of the files (ConfigLoader put it over config.toml); a legacy [profiles.<name>]
    // table becomes a layer over every file. Both at once is refused, as Codex refuses it: which one is meant is unclear.
    private static LayerValues? ProfileLayer(LoadedConfig config, Sourced<string> profile)
    {
        var expected = ProfileFiles.IsValidName(profile.Value) ? ProfileFiles.PathOf(config.Request.CodexHome, profile.Value) : null;
        if (profile.Origin.Source == PolicySource.Parameter && config.ProfileFile != (expected is not null && File.Exists(expected) ? expected : null))
        {
            // the loader layers the file of ConfigRequest.Profile (or of the profile key); -Profile must reach both
            throw new InvalidOperationException($"The config was loaded for another profile than '{profile.Value}': set ConfigRequest.Profile to the -Profile value.");
        }
        var merged = config.FindProfile(profile.Value);
        var selectedBy = profile.Origin.Source == PolicySource.Parameter ? "-Profile" : $"profile key in {profile.Origin.File}:{profile.Origin.Line}";
        if (merged is not null && config.ProfileFile is { } file)
        {
            var tables = config.Layers.Where(l => l.Settings.Profiles.ContainsKey(profile.Value))
                .Select(l => $"{l.Layer.File.Path}:{l.Settings.ProfileLines[profile.Value]}");
            throw new ConfigException([new ConfigDiagnostic(DiagnosticSeverity.Error, "ProfileDefinedTwice", file, 0, 0, "profile",
                $"The profile '{profile.Value}' ({selectedBy}) is defined twice: by the profile file {file} and by [profiles.{profile.Value}] in " +
                $"{string.Join(", ", tables)}. Codex applies only the file and refuses this config; move the table's settings into the file and remove the table.")]);
        }
        if (merged is null && config.ProfileFile is null)
        {
            throw new ProfileNotFoundException(profile.Value, config.ProfileNames.ToList(), selectedBy,
                ProfileFiles.PathOf(config.Request.CodexHome, profile.Value));
        }
        return merged is null ? null : LayerValuesReader.Read(merged);
    }

    private static Sourced<T>? Pick<T>(IReadOnlyList<LayerValues> lowestFirst, Func<LayerValues, Sourced<T>?> setting)
    {
        for (int i = lowestFirst.Count - 1; i >= 0; i--)
        {
            if (setting(lowestFirst[i]) is { } value) return value;
        }
        return null;
    }
}
