namespace CodexSandbox.HelpBuilder.Model;

/// <summary>
/// One <c>```yaml</c> block of a parameter: how it behaves in the sets it names. platyPS v1 writes several
/// blocks when a parameter is mandatory or positional in one set but not in another.
/// </summary>
internal sealed record ParameterSetUsage(
    int Line,
    IReadOnlyList<string> Sets,
    bool Required,
    int? Position,
    string PipelineInput,
    bool Globbing,
    string DefaultValue,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> AcceptedValues)
{
    public const string AllSets = "(All)";

    public bool CoversAllSets => Sets.Any(s => s.Equals(AllSets, StringComparison.OrdinalIgnoreCase));

    public bool Covers(string set) => CoversAllSets || Sets.Contains(set, StringComparer.OrdinalIgnoreCase);

    public bool ByValue => PipelineInput.Contains("ByValue", StringComparison.OrdinalIgnoreCase);

    public bool ByPropertyName => PipelineInput.Contains("ByPropertyName", StringComparison.OrdinalIgnoreCase);
}
