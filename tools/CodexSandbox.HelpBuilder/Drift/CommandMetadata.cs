namespace CodexSandbox.HelpBuilder.Drift;

/// <summary>One exported cmdlet as written by Export-CommandMetadata.ps1 (from Get-Command in a child pwsh).</summary>
internal sealed class CommandMetadata
{
    public string Name { get; init; } = "";

    /// <summary>Optional: the cmdlet's DefaultParameterSetName, compared with the page's "(Default)" set.</summary>
    public string? DefaultParameterSet { get; init; }

    public List<ParameterMetadata> Parameters { get; init; } = [];
}
