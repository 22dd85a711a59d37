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
        if (profile is not null) layers.Add(ProfileLayer(config, profile));
        layers.Add(parameters);
        return new PolicyLayers(layers, profile, LayerValuesReader.Typed<string>(config.Trust, "trust_level"));
    }

    private static LayerValues ProfileLayer(LoadedConfig config, Sourced<string> profile)
    {
        var merged = config.FindProfile(profile.Value);
        if (merged is null)
        {
            var selectedBy = profile.Origin.Source == PolicySource.Parameter ? "-Profile" : $"profile key in {profile.Origin.File}:{profile.Origin.Line}";
            throw new ProfileNotFoundException(profile.Value, config.ProfileNames.ToList(), selectedBy);
        }
        return LayerValuesReader.Read(merged);
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
