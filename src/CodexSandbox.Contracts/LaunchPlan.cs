namespace CodexSandbox;

/// <summary>
/// How a command would be started in the sandbox on one platform: the program and arguments, the generated
/// profile or ACL changes, the environment changes, and which protections hold and which do not.
/// </summary>
public sealed class LaunchPlan
{
    public TargetPlatform Platform { get; init; }
    /// <summary><c>seatbelt</c>, <c>windows-restricted-token</c>, <c>linux-launcher</c>, <c>linux-bwrap+launcher</c>, or <c>none</c>.</summary>
    public string Backend { get; init; } = "none";
    /// <summary>The program started (an absolute path for the sandbox wrappers).</summary>
    public string Program { get; init; } = "";
    public IReadOnlyList<string> Arguments { get; init; } = [];
    /// <summary>The generated Seatbelt profile (macOS only).</summary>
    public string? Profile { get; init; }
    /// <summary>The access-control entries applied before the run (Windows only).</summary>
    public IReadOnlyList<AclEntry>? AclPlan { get; init; }
    /// <summary>Variables set for the command; a null value means the variable is removed.</summary>
    public IReadOnlyDictionary<string, string?> EnvironmentChanges { get; init; } = new Dictionary<string, string?>();
    /// <summary>Protections this plan enforces.</summary>
    public IReadOnlyList<string> Enforced { get; init; } = [];
    /// <summary>Protections the policy asks for that this plan does not enforce, each with the reason.</summary>
    public IReadOnlyList<string> NotEnforced { get; init; } = [];
    /// <summary>Anything else a reviewer should know.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public override string ToString() => $"{Platform} {Backend}: {Program} {string.Join(" ", Arguments.Select(Short))}";

    // A profile is a long multi-line argument; one line per plan reads better.
    private static string Short(string argument)
    {
        var flat = argument.ReplaceLineEndings(" ");
        return flat.Length > 60 ? flat[..57] + "..." : flat;
    }
}
