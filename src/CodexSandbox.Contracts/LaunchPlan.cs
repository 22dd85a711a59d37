namespace CodexSandbox;

/// <summary>
/// How a command is started on one platform: the program and arguments, the generated profile or ACL changes, the
/// environment changes, the allowlist proxy, what the host does around the run, and which protections hold and which
/// do not. One plan is built per run: <c>-WhatIf</c> and <c>-Verbose</c> show it, the run carries it out as it is, and
/// <c>Get-SandboxPolicy -TargetPlatform</c> shows the plan the same builder makes for a stand-in command.
/// </summary>
public sealed record LaunchPlan
{
    private readonly string _backend = SandboxBackend.None;

    public TargetPlatform Platform { get; init; }

    /// <summary>One of <see cref="SandboxBackend"/>; no other value is accepted.</summary>
    public string Backend
    {
        get => _backend;
        init => _backend = SandboxBackend.IsKnown(value) ? value
            : throw new ArgumentException($"'{value}' is not a sandbox backend; the backends are {string.Join(", ", SandboxBackend.All)}.", nameof(value));
    }

    /// <summary>
    /// False only for <see cref="SandboxBackend.None"/>: the command is started directly, with nothing around it. This is
    /// the one notion of "no sandbox" a run has, whichever way it got there (danger-full-access or an approved escalation).
    /// </summary>
    public bool Sandboxed => _backend != SandboxBackend.None;

    /// <summary>The program started (an absolute path for the sandbox wrappers; for a direct start, looked up on the command's PATH).</summary>
    public string Program { get; init; } = "";
    public IReadOnlyList<string> Arguments { get; init => field = ArgvList.From(value); } = ArgvList.Empty;
    /// <summary>The generated Seatbelt profile (macOS only), also the argument after <c>-p</c>.</summary>
    public string? Profile { get; init; }
    /// <summary>The access-control entries applied before the run (Windows only).</summary>
    public IReadOnlyList<AclEntry>? AclPlan { get; init => field = value is null ? null : TextList<AclEntry>.From(value); }
    /// <summary>Variables set for the command on top of the policy's environment; a null value means the variable is removed.</summary>
    public IReadOnlyDictionary<string, string?> EnvironmentChanges { get; init; } = new Dictionary<string, string?>();
    /// <summary>Allowlist network mode: the proxy and the ports the sandbox may reach; null in the other modes and without a sandbox.</summary>
    public ProxyEndpoints? Proxy { get; init; }
    /// <summary>What the host creates, sets up and removes around the run.</summary>
    public LaunchHostActions HostActions { get; init; } = LaunchHostActions.None;
    /// <summary>Protections this plan enforces.</summary>
    public IReadOnlyList<string> Enforced { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
    /// <summary>Protections the policy asks for that this plan does not enforce, each with the reason.</summary>
    public IReadOnlyList<string> NotEnforced { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
    /// <summary>Anything else a reviewer should know.</summary>
    public IReadOnlyList<string> Notes { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;

    public override string ToString() => $"{Platform} {Backend}: {Program} {string.Join(" ", Arguments.Select(Short))}";

    // A profile is a long multi-line argument; one line per plan reads better.
    private static string Short(string argument)
    {
        var flat = argument.ReplaceLineEndings(" ");
        return flat.Length > 60 ? flat[..57] + "..." : flat;
    }
}
