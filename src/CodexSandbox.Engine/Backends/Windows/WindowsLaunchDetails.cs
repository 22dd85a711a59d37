namespace CodexSandbox.Engine.Backends.Windows;

/// <summary>Everything <see cref="WindowsSandboxRunner"/> needs to carry out a Windows plan.</summary>
public sealed class WindowsLaunchDetails
{
    public required string ApplicationName { get; init; }
    /// <summary>The argv as given; the runner resolves argv[0] in the child's PATH and PATHEXT.</summary>
    public IReadOnlyList<string> Argv { get; init; } = [];
    /// <summary>The argv joined by <see cref="WindowsCommandLine.Build"/>.</summary>
    public required string CommandLine { get; init; }
    public required string WorkingDirectory { get; init; }
    public required RestrictedTokenPlan Token { get; init; }
    public required JobObjectPlan Job { get; init; }
    public required IReadOnlyList<AclEntry> Acl { get; init; }
    public required IReadOnlyDictionary<string, string?> EnvironmentChanges { get; init; }
    /// <summary>Where the ssh/scp stubs go, or null when the network is not emulated offline.</summary>
    public string? DenyBinDirectory { get; init; }
}
