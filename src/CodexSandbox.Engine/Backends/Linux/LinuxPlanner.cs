namespace CodexSandbox.Engine.Backends.Linux;

/// <summary>The reviewable Linux plan: on Linux for this machine's capabilities; elsewhere for a capable host (Landlock ABI 7, working bubblewrap).</summary>
public sealed class LinuxPlanner(LinuxHost host) : ILaunchPlanner
{
    public TargetPlatform Platform => TargetPlatform.Linux;

    public static LinuxHost AssumedHost(string moduleBase) => new(7, true,
        new BwrapProbe.Result("/usr/bin/bwrap", null, true, null), Path.Combine(moduleBase, "bin", "linux-x64", "codex-linux-sandbox"));

    public LaunchPlan Plan(SandboxPolicy policy, IReadOnlyList<string> argv)
    {
        var launch = LinuxCommandBuilder.Build(policy, argv, host);
        var notes = new List<string>();
        if (!OperatingSystem.IsLinux()) notes.Add("Planned away from Linux, for a host with Landlock ABI 7 and a working bubblewrap.");
        if (launch.MaskFiles.Count > 0)
            notes.Add($"bubblewrap masks the missing protected paths with read-only empty files ({string.Join(", ", launch.MaskFiles)}); they are removed after the run.");
        if (launch.MaskDirectories.Count > 0)
            notes.Add($"bubblewrap masks the missing protected folders with read-only empty folders ({string.Join(", ", launch.MaskDirectories)}); they are removed after the run.");
        if (launch.PrivateFolders.Count > 0)
            notes.Add($"The private temporary folder {string.Join(", ", launch.PrivateFolders)} is created for the run (mode 0700) and deleted after it; a real run uses a new name.");
        return new LaunchPlan
        {
            Platform = TargetPlatform.Linux,
            Backend = launch.Backend,
            Program = launch.Program,
            Arguments = launch.Arguments,
            EnvironmentChanges = launch.EnvironmentAdded.ToDictionary(kv => kv.Key, kv => (string?)kv.Value),
            Enforced = launch.Enforced,
            NotEnforced = launch.NotEnforced,
            Notes = notes,
        };
    }
}
