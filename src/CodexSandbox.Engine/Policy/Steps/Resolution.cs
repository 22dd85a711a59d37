using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Policy.Layers;

namespace CodexSandbox.Engine.Policy.Steps;

/// <summary>One policy resolution in progress: the layers it reads, and the provenance and warnings its steps gather.</summary>
internal sealed class Resolution(PolicyLayers layers, ConfigRequest request, IReadOnlyDictionary<string, string> parentEnvironment)
{
    public PolicyLayers Layers { get; } = layers;
    public ConfigRequest Request { get; } = request;
    /// <summary>The environment the sandboxed command inherits from (and where HOME and TMPDIR come from).</summary>
    public IReadOnlyDictionary<string, string> ParentEnvironment { get; } = parentEnvironment;
    /// <summary>Where each setting came from, in the order the steps settled them.</summary>
    public List<PolicyOrigin> Origins { get; } = [];
    public List<string> Warnings { get; } = [];

    /// <summary>Records where <paramref name="setting"/> came from and returns its value.</summary>
    public T Use<T>(Sourced<T> setting)
    {
        Origins.Add(setting.Origin);
        return setting.Value;
    }

    /// <summary>The highest layer's value of a setting, its origin recorded; null (and nothing recorded) when no layer sets it.</summary>
    public Sourced<T>? Pick<T>(Func<LayerValues, Sourced<T>?> setting) => Track(Layers.Pick(setting));

    /// <summary>Records the origin of a value that is set.</summary>
    public Sourced<T>? Track<T>(Sourced<T>? setting)
    {
        if (setting is not null) Origins.Add(setting.Origin);
        return setting;
    }
}
