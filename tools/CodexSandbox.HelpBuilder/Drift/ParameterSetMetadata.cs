namespace CodexSandbox.HelpBuilder.Drift;

/// <summary>A parameter's behaviour in one set; <see cref="Position"/> is negative when the parameter is named-only.</summary>
internal sealed class ParameterSetMetadata
{
    public const string AllParameterSets = "__AllParameterSets";

    public string Name { get; init; } = AllParameterSets;

    public int Position { get; init; } = -1;

    public bool Mandatory { get; init; }

    public bool ValueFromPipeline { get; init; }

    public bool ValueFromPipelineByPropertyName { get; init; }
}
