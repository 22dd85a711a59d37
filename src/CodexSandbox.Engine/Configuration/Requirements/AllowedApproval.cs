using CodexSandbox.Engine.Policy;

namespace CodexSandbox.Engine.Configuration.Requirements;

/// <summary>One entry of <c>allowed_approval_policies</c>: a policy, and for granular the exact flags it must have.</summary>
public sealed record AllowedApproval(ApprovalPolicy Policy, GranularApproval? Granular = null)
{
    /// <summary>True when a configured policy is this entry; a granular policy must match its flags exactly, as in Codex.</summary>
    public bool Matches(ApprovalPolicy policy, GranularApproval? granular) =>
        policy == Policy && (policy != ApprovalPolicy.Granular || Equals(granular, Granular));

    /// <summary>As written in a config file.</summary>
    public override string ToString() => Granular is { } g ? "{ " + g + " }" : ConfigNames.Of(Policy);
}
