using CodexSandbox.Engine.Policy.Layers;

namespace CodexSandbox.Engine.Policy.Steps;

/// <summary>The sandbox mode and the approval policy; their defaults depend on the project's trust decision (codex-behaviour.md §2.3).</summary>
internal static class ModeSteps
{
    /// <summary>A trust decision, either way, makes workspace-write the default; otherwise read-only.</summary>
    public static SandboxMode Mode(Resolution r, string? trust)
    {
        var fallback = trust is null ? SandboxMode.ReadOnly : SandboxMode.WorkspaceWrite;
        return r.Use(r.Layers.Pick(l => l.SandboxMode) ?? Sourced<SandboxMode>.Default("sandbox_mode", fallback, ConfigNames.Of(fallback)));
    }

    /// <summary>An untrusted project asks before anything but known-safe commands; otherwise on-request.</summary>
    public static ApprovalPolicy Approval(Resolution r, string? trust)
    {
        var fallback = trust == "untrusted" ? ApprovalPolicy.Untrusted : ApprovalPolicy.OnRequest;
        return r.Use(r.Layers.Pick(l => l.ApprovalPolicy) ?? Sourced<ApprovalPolicy>.Default("approval_policy", fallback, ConfigNames.Of(fallback)));
    }
}
