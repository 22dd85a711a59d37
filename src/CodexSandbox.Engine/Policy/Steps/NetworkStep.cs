using CodexSandbox.Engine.Policy.Layers;

namespace CodexSandbox.Engine.Policy.Steps;

/// <summary>The network mode: on without a sandbox; else -NetworkAccess or <c>[sandbox_network] mode</c> from the highest
/// layer; else, in workspace-write, Codex's <c>[sandbox_workspace_write] network_access</c>; else off.</summary>
internal static class NetworkStep
{
    public static NetworkMode Mode(Resolution r, SandboxMode mode)
    {
        if (mode == SandboxMode.DangerFullAccess) return r.Use(Sourced<NetworkMode>.Default("network_access", NetworkMode.On, "true"));
        if (r.Pick(l => l.NetworkMode) is { } chosen) return chosen.Value;
        if (mode == SandboxMode.WorkspaceWrite && r.Pick(l => l.WorkspaceNetworkAccess) is { } access)
        {
            return access.Value ? NetworkMode.On : NetworkMode.Off;
        }
        return r.Use(Sourced<NetworkMode>.Default("network_access", NetworkMode.Off, "false"));
    }
}
