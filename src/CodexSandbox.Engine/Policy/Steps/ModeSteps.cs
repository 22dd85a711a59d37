using CodexSandbox.Engine.Configuration;
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
    /// <remarks>
    /// A granular policy's flags come from the layer that chose it; <c>-ApprovalPolicy Granular</c> takes them from the
    /// highest layer that writes <c>approval_policy = { granular = { … } }</c>, since a parameter cannot spell them.
    /// </remarks>
    /// <exception cref="ConfigException"><c>-ApprovalPolicy Granular</c> and no layer gives the flags.</exception>
    public static (ApprovalPolicy Policy, GranularApproval? Granular) Approval(Resolution r, string? trust)
    {
        var fallback = trust == "untrusted" ? ApprovalPolicy.Untrusted : ApprovalPolicy.OnRequest;
        var policy = r.Use(r.Layers.Pick(l => l.ApprovalPolicy) ?? Sourced<ApprovalPolicy>.Default("approval_policy", fallback, ConfigNames.Of(fallback)));
        if (policy != ApprovalPolicy.Granular) return (policy, null);
        var flags = r.Layers.Layers.Reverse().Select(l => l.GranularApproval).FirstOrDefault(g => g is not null)
            ?? throw new ConfigException([new ConfigDiagnostic(DiagnosticSeverity.Error, "GranularWithoutFlags", "", 0, 0, "approval_policy",
                "-ApprovalPolicy Granular needs its categories from a config file: approval_policy = { granular = { sandbox_approval = true, rules = true, mcp_elicitations = true } }.")]);
        return (policy, flags);
    }
}
