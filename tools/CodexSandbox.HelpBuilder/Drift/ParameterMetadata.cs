namespace CodexSandbox.HelpBuilder.Drift;

/// <summary>One real parameter (common parameters excluded by the exporter; ignored here as well).</summary>
internal sealed class ParameterMetadata
{
    public string Name { get; init; } = "";

    /// <summary>The .NET type's full name, e.g. <c>System.String[]</c> or <c>CodexSandbox.SandboxMode</c>.</summary>
    public string Type { get; init; } = "";

    public List<ParameterSetMetadata> Sets { get; init; } = [];

    /// <summary>ValidateSet values or enum names; empty when the parameter takes any value.</summary>
    public List<string> AcceptedValues { get; init; } = [];
}
