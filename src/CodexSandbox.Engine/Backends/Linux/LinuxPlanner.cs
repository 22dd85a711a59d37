namespace CodexSandbox.Engine.Backends.Linux;

/// <summary>
/// The Linux plan: on Linux for this machine's capabilities (a run and <c>Get-SandboxPolicy -TargetPlatform Linux</c>
/// alike); elsewhere for a capable host (Landlock ABI 7, working bubblewrap).
/// </summary>
/// <param name="proxy">Allowlist mode: the proxy bound for the run; null for a plan made without a run.</param>
/// <param name="terminal">An interactive run (-Interactive): the command's session gets the run's pseudo-terminal.</param>
public sealed class LinuxPlanner(LinuxHost host, ProxyEndpoints? proxy = null, bool terminal = false) : ILaunchPlanner
{
    public TargetPlatform Platform => TargetPlatform.Linux;

    public static LinuxHost AssumedHost(string moduleBase) => new(7, true,
        new BwrapProbe.Result("/usr/bin/bwrap", null, true, null), Path.Combine(moduleBase, "bin", "linux-x64", "codex-linux-sandbox"));

    public LaunchPlan Plan(SandboxPolicy policy, IReadOnlyList<string> argv)
    {
        var plan = LinuxCommandBuilder.Build(policy, argv, host, proxy, terminal: terminal);
        return OperatingSystem.IsLinux() ? plan
            : plan with { Notes = ["Planned away from Linux, for a host with Landlock ABI 7 and a working bubblewrap.", .. plan.Notes] };
    }
}
