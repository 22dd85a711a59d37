namespace CodexSandbox.Engine.Policy.Layers;

/// <summary>A setting's typed value and where it came from: a file and line (possibly inside a profile), a parameter, or the default.</summary>
/// <remarks>The origin is what <see cref="SandboxPolicy.Provenance"/> shows, so it keeps the value as it was written.</remarks>
public sealed record Sourced<T>(T Value, PolicyOrigin Origin)
{
    /// <summary>The built-in value of <paramref name="key"/>.</summary>
    public static Sourced<T> Default(string key, T value, string shown) => new(value, new PolicyOrigin(key, shown, PolicySource.Default));

    /// <summary>A value given as a cmdlet parameter.</summary>
    public static Sourced<T> Parameter(string key, T value, string shown) => new(value, new PolicyOrigin(key, shown, PolicySource.Parameter));
}
