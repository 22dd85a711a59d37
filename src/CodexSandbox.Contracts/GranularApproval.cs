namespace CodexSandbox;

/// <summary>
/// The categories of <c>approval_policy = { granular = { … } }</c>: true asks the user as on-request does, false rejects
/// that kind of prompt automatically. <see cref="SandboxApproval"/> covers sandbox escalations and every prompt that
/// is not raised by a rule; <see cref="Rules"/> covers prompts raised by exec-policy <c>prompt</c> rules. The other
/// three categories belong to Codex features this module has no prompt for (MCP, skills, permission requests); they
/// are kept so the policy shows what the file says.
/// </summary>
public sealed record GranularApproval(
    bool SandboxApproval,
    bool Rules,
    bool McpElicitations,
    bool SkillApproval = false,
    bool RequestPermissions = false)
{
    /// <summary>The value as it is written in config.toml.</summary>
    public override string ToString() =>
        $"granular = {{ sandbox_approval = {B(SandboxApproval)}, rules = {B(Rules)}, mcp_elicitations = {B(McpElicitations)}, " +
        $"skill_approval = {B(SkillApproval)}, request_permissions = {B(RequestPermissions)} }}";

    private static string B(bool value) => value ? "true" : "false";
}
