using CodexSandbox.Engine.Analysis;
using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Configuration.Requirements;
using CodexSandbox.Engine.Policy;
using CodexSandbox.Engine.Rules;
using CodexSandbox.Engine.Tests.Configuration;

namespace CodexSandbox.Engine.Tests.Policy;

/// <summary>
/// The administrator's requirements.toml (codex-config-2026.md §6): Codex's config_requirements.rs, config_tests.rs and
/// config_loader_tests.rs cases, plus our stricter choices (a parameter asking for a disallowed value is refused; nothing runs
/// outside the sandbox while danger-full-access is not allowed).
/// </summary>
public class RequirementsTests
{
    private static string Requirements(TempTree t, string toml) => t.Write("etc-codex/requirements.toml", toml);

    private static SandboxPolicy Resolve(TempTree t, PolicyOverrides? o = null) =>
        PolicyResolver.Resolve(ConfigLoader.Load(t.Request()), o ?? new PolicyOverrides(),
            new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["HOME"] = Path.Combine(t.Root, "home") });

    private static IReadOnlyList<ConfigDiagnostic> Problems(TempTree t, string toml) =>
        RequirementsReader.Read(ConfigFile.Parse(Requirements(t, toml), toml), Path.Combine(t.Root, "home"), "ci-runner-7.example.com").Diagnostics;

    [Fact]
    public void ExplicitSandboxModeFallsBackWhenDisallowedByRequirements()
    {
        // explicit_sandbox_mode_falls_back_when_disallowed_by_requirements; constraint_error_includes_requirement_source
        using var t = new TempTree();
        var file = Requirements(t, "# fleet policy\nallowed_sandbox_modes = [\"read-only\", \"workspace-write\"]\n");
        t.UserConfig("sandbox_mode = \"danger-full-access\"\n");
        var p = Resolve(t);
        Assert.Equal(SandboxMode.ReadOnly, p.SandboxMode);
        var warning = Assert.Single(p.Warnings, w => w.Contains("disallowed by requirements", StringComparison.Ordinal));
        Assert.Contains("falling back to required value read-only", warning, StringComparison.Ordinal);
        Assert.Contains("`danger-full-access` is not in the allowed set [read-only, workspace-write]", warning, StringComparison.Ordinal);
        Assert.Contains($"(set by {file}:2)", warning, StringComparison.Ordinal);
        Assert.Contains(p.Provenance, o => o.Setting == "sandbox_mode" && o.Value == "read-only" && o.Source == PolicySource.Requirements && o.Line == 2);
        Assert.False(p.UnsandboxedAllowed);
    }

    [Fact]
    public void DangerFullAccessWithNeverIsRejectedWhenRequirementsForceReadOnly()
    {
        // danger_full_access_with_never_is_rejected_when_requirements_force_read_only
        using var t = new TempTree();
        Requirements(t, "allowed_sandbox_modes = [\"read-only\"]\n");
        t.UserConfig("sandbox_mode = \"danger-full-access\"\napproval_policy = \"never\"\n");
        var e = Assert.Throws<ConfigException>(() => Resolve(t));
        Assert.StartsWith("`approval_policy = \"never\"` cannot be used because requirements do not allow `sandbox_mode = \"danger-full-access\"`", e.Errors.Single().Message);
    }

    [Fact]
    public void ExplicitApprovalPolicyFallsBackToTheFirstAllowed()
    {
        // explicit_approval_policy_falls_back_when_disallowed_by_requirements; deserialize_allowed_approval_policies (the first is the default)
        using var t = new TempTree();
        Requirements(t, "allowed_approval_policies = [\"on-request\", \"untrusted\"]\n");
        t.UserConfig("approval_policy = \"never\"\n");
        var p = Resolve(t);
        Assert.Equal(ApprovalPolicy.OnRequest, p.ApprovalPolicy);
        Assert.Contains(p.Warnings, w => w.StartsWith("Configured value for `approval_policy` is disallowed by requirements; falling back to required value on-request.", StringComparison.Ordinal)
                                         && w.Contains("`never` is not in the allowed set [on-request, untrusted]", StringComparison.Ordinal));
    }

    [Fact]
    public void GranularApprovalMustMatchExactly()
    {
        using var t = new TempTree();
        Requirements(t, "allowed_approval_policies = [{ granular = { sandbox_approval = true, rules = false, mcp_elicitations = true } }, \"untrusted\"]\n");
        t.UserConfig("approval_policy = { granular = { sandbox_approval = true, rules = false, mcp_elicitations = true } }\n");
        Assert.Equal(ApprovalPolicy.Granular, Resolve(t).ApprovalPolicy);
        t.UserConfig("approval_policy = { granular = { sandbox_approval = true, rules = true, mcp_elicitations = true } }\n");
        var p = Resolve(t);
        Assert.Equal((ApprovalPolicy.Granular, false), (p.ApprovalPolicy, p.GranularApproval!.Rules));
    }

    [Fact]
    public void AParameterAskingForADisallowedValueIsRefused()
    {
        using var t = new TempTree();
        var file = Requirements(t, "allowed_sandbox_modes = [\"read-only\", \"workspace-write\"]\nallowed_approval_policies = [\"on-request\"]\n");
        var e = Assert.Throws<RequirementViolationException>(() => Resolve(t, new PolicyOverrides { SandboxMode = SandboxMode.DangerFullAccess }));
        Assert.Equal("-SandboxMode DangerFullAccess", e.Parameter);
        Assert.Equal((file, 1), (e.Requirement.File, e.Requirement.Line));
        Assert.Contains("-Force does not override a requirement", e.Message, StringComparison.Ordinal);
        Assert.Contains($"allowed_sandbox_modes = [read-only, workspace-write] in {file}:1", e.Message, StringComparison.Ordinal);
        Assert.Throws<RequirementViolationException>(() => Resolve(t, new PolicyOverrides { Permissions = ":danger-full-access" }));
        var a = Assert.Throws<RequirementViolationException>(() => Resolve(t, new PolicyOverrides { ApprovalPolicy = ApprovalPolicy.Never }));
        Assert.Equal(2, a.Requirement.Line);
        // an allowed parameter is used as asked
        Assert.Equal(SandboxMode.WorkspaceWrite, Resolve(t, new PolicyOverrides { SandboxMode = SandboxMode.WorkspaceWrite }).SandboxMode);
    }

    [Fact]
    public void AllowedPermissionProfilesFallBackFromDisallowedDangerFullAccess()
    {
        // system_allowed_permission_profiles_fall_back_from_disallowed_danger_full_access
        using var t = new TempTree();
        Requirements(t, "default_permissions = \":read-only\"\n[allowed_permission_profiles]\n\":read-only\" = true\n\":danger-full-access\" = false\n");
        t.UserConfig("default_permissions = \":danger-full-access\"\n");
        var p = Resolve(t);
        Assert.Equal((":read-only", SandboxMode.ReadOnly), (p.Permissions, p.SandboxMode));
        Assert.Contains("Configured value for `permission_profile` is disallowed by requirements; falling back from `:danger-full-access` to required value `:read-only`.",
            Assert.Single(p.Warnings, w => w.Contains("disallowed", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.False(p.UnsandboxedAllowed);
    }

    [Fact]
    public void StandardPairDefaultsToWorkspaceAndForcesProfilesOn()
    {
        // system_allowed_permission_profiles_standard_pair_defaults_to_workspace; "requirements force profiles on"
        using var t = new TempTree();
        Requirements(t, "[allowed_permission_profiles]\n\":workspace\" = true\n\":read-only\" = true\n");
        t.UserConfig("sandbox_mode = \"read-only\"\n");
        var p = Resolve(t);
        Assert.Equal((":workspace", SandboxMode.WorkspaceWrite), (p.Permissions, p.SandboxMode));
        Assert.Contains(p.Warnings, w => w.StartsWith("sandbox_mode = read-only", StringComparison.Ordinal) && w.Contains("does not apply", StringComparison.Ordinal));
        // -SandboxMode asks for the matching built-in
        Assert.Equal(":read-only", Resolve(t, new PolicyOverrides { SandboxMode = SandboxMode.ReadOnly }).Permissions);
        Assert.Throws<RequirementViolationException>(() => Resolve(t, new PolicyOverrides { SandboxMode = SandboxMode.DangerFullAccess }));
    }

    [Theory]
    [InlineData("default_permissions = \":workspace\"\n[allowed_permission_profiles]\n\":read-only\" = true\n", "requirements.toml default_permissions `:workspace` must be allowed by allowed_permission_profiles")]
    [InlineData("[allowed_permission_profiles]\n\":read-only\" = true\n", "requirements.toml default_permissions must be set unless allowed_permission_profiles allows both `:workspace` and `:read-only`")]
    [InlineData("default_permissions = \":read-only\"\n", "requirements.toml default_permissions requires allowed_permission_profiles")]
    [InlineData("[allowed_permission_profiles]\n\":workspace\" = true\n\":read-only\" = true\n\":nope\" = true\n", "requirements.toml allowed_permission_profiles refers to undefined profile `:nope`")]
    [InlineData("allowed_sandbox_modes = [\"workspace-write\"]\n", "invalid value for `allowed_sandbox_modes`: `[workspace-write]` must include 'read-only' to allow any PermissionProfile")]
    [InlineData("allowed_approval_policies = []\n", "field `allowed_approval_policies` cannot be empty")]
    [InlineData("[permissions.filesystem]\ndeny_read = [\"/x\"]\nextends = \":workspace\"\n", "[permissions.filesystem] in requirements.toml holds only deny_read")]
    [InlineData("[experimental_network]\nallowed_domains = [\"a.example\"]\n[experimental_network.domains]\n\"b.example\" = \"allow\"\n", "[experimental_network] mixes the legacy lists")]
    [InlineData("[rules]\nprefix_rules = [{ pattern = [{ token = \"rm\" }], decision = \"allow\" }]\n", "rules prefix_rule at index 0 has decision 'allow', which is not permitted in requirements.toml")]
    [InlineData("[rules]\nprefix_rules = [{ pattern = [{ token = \"rm\" }] }]\n", "rules prefix_rule at index 0 is missing a decision")]
    [InlineData("[rules]\nprefix_rules = [{ pattern = [{ token = \"rm\", any_of = [\"x\"] }], decision = \"prompt\" }]\n", "rules prefix_rule at index 0 has an invalid pattern token at index 0: set either token or any_of, not both")]
    [InlineData("allowed_sandbox_modes = \"read-only\"\n", "allowed_sandbox_modes must be an array of strings, not a string.")]
    [InlineData("allowed_sandbox_modes = [\"read-only\", \"danger\"]\n", "allowed_sandbox_modes: \"danger\" is not a sandbox mode")]
    public void InvalidRequirementsAreErrorsWithCodexText(string toml, string message)
    {
        // filesystem_requirements_table_cannot_define_a_permission_profile, mixed_legacy_and_canonical_network_requirements_are_rejected,
        // system_managed_default_must_be_allowed, deserialize_allowed_sandbox_modes, deserialize_exec_policy_requirements
        using var t = new TempTree();
        var errors = Problems(t, toml).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.Contains(errors, d => d.Message.StartsWith(message, StringComparison.Ordinal));
        Assert.All(errors, d => Assert.True(d.Line > 0, d.ToString()));
    }

    [Fact]
    public void ABrokenRequirementsFileFailsClosed()
    {
        using var t = new TempTree();
        var file = Requirements(t, "allowed_sandbox_modes = [\"read-only\"\n");
        var e = Assert.Throws<RequirementsException>(() => Resolve(t));
        Assert.Equal(file, e.Errors[0].Path);
        Assert.Contains("Nothing runs until the administrator fixes this requirements file", e.Message, StringComparison.Ordinal);
        Requirements(t, "allowed_sandbox_modes = [\"workspace-write\"]\n");
        Assert.Throws<RequirementsException>(() => Resolve(t));
    }

    [Fact]
    public void UnknownKeysWarnWithTheClosestAndCodexKeysStaySilent()
    {
        using var t = new TempTree();
        var problems = Problems(t, "allowed_sandbox_mode = [\"read-only\"]\nallowed_web_search_modes = [\"cached\"]\n[features]\nx = true\n[mcp_servers.a]\nidentity = { command = \"a\" }\n");
        var warning = Assert.Single(problems);
        Assert.Equal((DiagnosticSeverity.Warning, "UnknownKey", 1), (warning.Severity, warning.Id, warning.Line));
        Assert.Contains("allowed_sandbox_modes", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DenyReadResolvesAgainstTheFilesFolderAndIsAddedOnTop()
    {
        // load_requirements_toml_resolves_deny_read_against_parent
        using var t = new TempTree();
        Requirements(t, "[permissions.filesystem]\ndeny_read = [\"./secrets\", \"/srv/keys/**/*.pem\"]\n");
        t.UserConfig("sandbox_mode = \"workspace-write\"\n");
        var p = Resolve(t);
        Assert.Contains(Path.Combine(t.SystemDir, "secrets"), p.DenyRead);
        Assert.Contains("/srv/keys/**/*.pem", p.DenyRead);
        Assert.Equal(SandboxMode.WorkspaceWrite, p.SandboxMode);
        // while deny_read lists anything only read-only and workspace-write are allowed
        t.UserConfig("sandbox_mode = \"danger-full-access\"\napproval_policy = \"on-request\"\n");
        p = Resolve(t);
        Assert.Equal(SandboxMode.ReadOnly, p.SandboxMode);
        Assert.Contains(Path.Combine(t.SystemDir, "secrets"), p.DenyRead);
        Assert.Contains(p.Warnings, w => w.Contains("[read-only, workspace-write]", StringComparison.Ordinal));
    }

    [Fact]
    public void ADroppedProfileKeepsItsDenyEntries()
    {
        using var t = new TempTree();
        Requirements(t, "allowed_sandbox_modes = [\"read-only\"]\n");
        t.UserConfig("default_permissions = \"edit\"\n[permissions.edit]\nextends = \":workspace\"\n[permissions.edit.filesystem]\n\"~/.ssh\" = \"deny\"\n");
        var p = Resolve(t);
        Assert.Equal((SandboxMode.ReadOnly, (string?)null), (p.SandboxMode, p.Permissions));
        Assert.Contains(Path.Combine(t.Root, "home", ".ssh"), p.DenyRead);
        Assert.Empty(p.WritableRoots);
    }

    [Fact]
    public void ManagedProfilesAreSelectableAndMayNotShareAUserProfilesName()
    {
        using var t = new TempTree();
        Requirements(t, "default_permissions = \"fleet\"\n[allowed_permission_profiles]\nfleet = true\n\":read-only\" = true\n" +
                        "[permissions.fleet]\nextends = \":workspace\"\n[permissions.fleet.filesystem]\n\"/srv/cache\" = \"deny\"\n");
        var p = Resolve(t);
        Assert.Equal(("fleet", SandboxMode.WorkspaceWrite), (p.Permissions, p.SandboxMode));
        Assert.Contains("/srv/cache", p.DenyRead);
        Assert.Contains(p.Requirements, o => o.Setting == "permissions.fleet" && o.Source == PolicySource.Requirements);
        t.UserConfig("default_permissions = \"fleet\"\n[permissions.fleet.filesystem]\n\":root\" = \"write\"\n");
        var e = Assert.Throws<ConfigException>(() => Resolve(t));
        Assert.StartsWith("requirements.toml permissions profile `fleet` conflicts with a config-defined profile of the same name", e.Errors.Single().Message);
    }

    [Fact]
    public void RemoteSandboxConfigReplacesTheModesForAMatchingHost()
    {
        using var t = new TempTree();
        var toml = "allowed_sandbox_modes = [\"read-only\", \"workspace-write\", \"danger-full-access\"]\n" +
                   "[[remote_sandbox_config]]\nhostname_patterns = [\"CI-RUNNER-*.example.com\"]\nallowed_sandbox_modes = [\"read-only\"]\n";
        var q = RequirementsReader.Read(ConfigFile.Parse(Requirements(t, toml), toml), t.Root, "ci-runner-7.example.com");
        Assert.Equal(["read-only"], q.AllowedSandboxModes!.Value);
        q = RequirementsReader.Read(ConfigFile.Parse(Requirements(t, toml), toml), t.Root, "laptop");
        Assert.Equal(3, q.AllowedSandboxModes!.Value.Count);
    }

    [Fact]
    public void ConstraintsAreShownWithTheirLines()
    {
        using var t = new TempTree();
        var file = Requirements(t, "allowed_sandbox_modes = [\"read-only\", \"workspace-write\"]\n\nallowed_approval_policies = [\"on-request\", \"never\"]\n" +
                                   "[rules]\nprefix_rules = [{ pattern = [{ token = \"git\" }, { any_of = [\"push\", \"reset\"] }], decision = \"prompt\", justification = \"review first\" }]\n");
        var p = Resolve(t);
        Assert.Equal(file, p.RequirementsFile);
        Assert.Contains(p.Requirements, o => (o.Setting, o.Line, o.File) == ("allowed_sandbox_modes", 1, file));
        Assert.Contains(p.Requirements, o => (o.Setting, o.Value, o.Line) == ("allowed_approval_policies", "[on-request, never]", 3));
        Assert.Contains(p.Requirements, o => o.Setting == "rules.prefix_rules" && o.Value == "prompt git [push|reset]" && o.Line == 5);
    }

    [Fact]
    public void RequirementsComeOnlyFromTheSystemFolder()
    {
        using var t = new TempTree();
        t.Write("home/.codex/requirements.toml", "allowed_sandbox_modes = [\"read-only\"]\n");
        t.Write("work/proj/.codex/requirements.toml", "allowed_sandbox_modes = [\"read-only\"]\n");
        t.UserConfig("sandbox_mode = \"danger-full-access\"\n");
        t.Trust();
        var p = Resolve(t);
        Assert.Equal((SandboxMode.DangerFullAccess, (string?)null, true), (p.SandboxMode, p.RequirementsFile, p.UnsandboxedAllowed));
    }

    [Fact]
    public void PrefixRulesOverlayTheUsersRulesAndTheStrictestWins()
    {
        using var t = new TempTree();
        Requirements(t, "[rules]\nprefix_rules = [{ pattern = [{ token = \"git\" }, { token = \"push\" }], decision = \"forbidden\", justification = \"CI pushes\" }]\n");
        t.Write("home/.codex/rules/own.rules", "prefix_rule(pattern = [\"git\", \"push\"], decision = \"allow\")\n");
        var config = ConfigLoader.Load(t.Request());
        var rules = RuleSetLoader.Load(RuleLayers.Directories(config), null, config.Requirements!.PrefixRules).GetRules();
        var a = CommandAnalyzer.AssessArgv(["git", "push", "origin"], rules, SandboxMode.WorkspaceWrite, ApprovalPolicy.OnRequest);
        Assert.Equal(ApprovalDecision.Forbidden, a.Decision);
        Assert.Contains(a.MatchedRules, m => m.Source == config.Requirements.Path + ":2" && m.Justification == "CI pushes");
    }

    [Fact]
    public void NothingLeavesTheSandboxWhileDangerFullAccessIsNotAllowed()
    {
        const string refusal = "the administrator's requirements do not allow running outside the sandbox";
        var allowAll = RuleSet.Parse("x.rules", "prefix_rule(pattern = [\"make\"], decision = \"allow\")\n");
        // an escalation is rejected, not asked: -Force cannot approve it
        var escalate = CommandAnalyzer.AssessArgv(["make"], allowAll, SandboxMode.WorkspaceWrite, ApprovalPolicy.OnRequest, requestEscalation: true, unsandboxedRefusal: refusal);
        Assert.Equal(ApprovalDecision.Forbidden, escalate.Decision);
        Assert.Contains(escalate.Reasons, r => r.Contains(refusal, StringComparison.Ordinal));
        // an allow rule does not bypass the sandbox
        var allowed = CommandAnalyzer.AssessArgv(["make"], allowAll, SandboxMode.WorkspaceWrite, ApprovalPolicy.OnRequest, unsandboxedRefusal: refusal);
        Assert.True(allowed.RunsSandboxed);
        // no unsandboxed retry after a likely denial (on-failure, untrusted)
        var retry = CommandAnalyzer.AssessArgv(["touch", "/x"], null, SandboxMode.WorkspaceWrite, ApprovalPolicy.OnFailure, unsandboxedRefusal: refusal);
        Assert.False(retry.OffersUnsandboxedRetry);
        Assert.True(CommandAnalyzer.AssessArgv(["touch", "/x"], null, SandboxMode.WorkspaceWrite, ApprovalPolicy.OnFailure).OffersUnsandboxedRetry);
    }

    [Fact]
    public void ManagedNetworkTurnsFullAccessIntoTheAllowlist()
    {
        using var t = new TempTree();
        Requirements(t, "[experimental_network]\nenabled = true\nmanaged_allowed_domains_only = true\nallow_local_binding = false\n" +
                        "[experimental_network.domains]\n\"pypi.org\" = \"allow\"\n\"evil.example\" = \"deny\"\n");
        t.UserConfig("sandbox_mode = \"workspace-write\"\n[sandbox_network]\nmode = \"allowlist\"\nallowed_domains = [\"github.com\"]\nallow_local_binding = true\n");
        var p = Resolve(t);
        Assert.Equal((NetworkMode.Allowlist, false), (p.NetworkMode, p.AllowLocalBinding));
        Assert.Equal(["pypi.org"], p.AllowedDomains);
        Assert.Equal(["evil.example"], p.DeniedDomains);
        t.UserConfig("sandbox_mode = \"workspace-write\"\n[sandbox_workspace_write]\nnetwork_access = true\n");
        p = Resolve(t);
        Assert.Equal(NetworkMode.Allowlist, p.NetworkMode);
        Assert.Contains(p.Warnings, w => w.Contains("[experimental_network]", StringComparison.Ordinal));
        t.UserConfig("sandbox_mode = \"workspace-write\"\n");
        Assert.Equal(NetworkMode.Off, Resolve(t).NetworkMode);
    }
}
