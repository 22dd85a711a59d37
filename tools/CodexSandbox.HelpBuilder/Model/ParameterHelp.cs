namespace CodexSandbox.HelpBuilder.Model;

/// <summary>A <c>### -Name</c> entry under <c>## PARAMETERS</c>.</summary>
internal sealed record ParameterHelp(
    int Line,
    string Name,
    string Type,
    IReadOnlyList<string> Description,
    IReadOnlyList<ParameterSetUsage> Usages)
{
    public bool IsSwitch =>
        Type.Equals("SwitchParameter", StringComparison.OrdinalIgnoreCase) ||
        Type.Equals("System.Management.Automation.SwitchParameter", StringComparison.OrdinalIgnoreCase);

    public ParameterSetUsage? UsageFor(string set) => Usages.FirstOrDefault(u => u.Covers(set));
}
