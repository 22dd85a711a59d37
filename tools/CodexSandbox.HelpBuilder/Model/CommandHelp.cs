namespace CodexSandbox.HelpBuilder.Model;

/// <summary>Everything one cmdlet page says, ready for the MAML writer; the lines let drift reports point into the page.</summary>
internal sealed record CommandHelp(
    string Path,
    int HeadingLine,
    int ParametersLine,
    string Name,
    string ExternalHelpFile,
    string? ModuleName,
    string? OnlineVersion,
    string Synopsis,
    IReadOnlyList<string> Description,
    IReadOnlyList<ParameterSetHelp> ParameterSets,
    IReadOnlyList<ParameterHelp> Parameters,
    IReadOnlyList<ExampleHelp> Examples,
    IReadOnlyList<TypeHelp> Inputs,
    IReadOnlyList<TypeHelp> Outputs,
    IReadOnlyList<string> Notes,
    IReadOnlyList<RelatedLink> RelatedLinks)
{
    public string Verb => Name[..Name.IndexOf('-')];

    public string Noun => Name[(Name.IndexOf('-') + 1)..];
}
