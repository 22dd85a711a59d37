namespace CodexSandbox.Engine.Backends;

/// <summary>Builds the reviewable launch plan for one platform. Pure: it starts nothing.</summary>
public interface ILaunchPlanner
{
    TargetPlatform Platform { get; }

    LaunchPlan Plan(SandboxPolicy policy, IReadOnlyList<string> argv);
}
