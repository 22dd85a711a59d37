namespace CodexSandbox.Engine.Backends;

/// <summary>
/// The plan of a run without a sandbox (<see cref="SandboxBackend.None"/>): the command started as it is. Every
/// platform's planner and the approved escalation use it, so "no sandbox" is planned, shown and reported one way.
/// </summary>
public static class DirectLaunch
{
    /// <summary>The policy's sandbox_mode is danger-full-access.</summary>
    public static LaunchPlan ForDangerFullAccess(TargetPlatform platform, IReadOnlyList<string> argv) =>
        For(platform, argv, "danger-full-access runs the command directly, with no restriction");

    /// <summary>The run was approved to leave the sandbox, and no deny_read path needs keeping from it.</summary>
    public static LaunchPlan ForEscalation(TargetPlatform platform, IReadOnlyList<string> argv) =>
        For(platform, argv, "this run was approved to leave the sandbox: it runs directly, with no restriction");

    private static LaunchPlan For(TargetPlatform platform, IReadOnlyList<string> argv, string why)
    {
        if (argv.Count == 0) throw new ArgumentException("The command is empty.", nameof(argv));
        return new LaunchPlan
        {
            Platform = platform,
            Backend = SandboxBackend.None,
            Program = argv[0],
            Arguments = argv.Skip(1).ToList(),
            NotEnforced = ["sandbox: " + why],
        };
    }
}
