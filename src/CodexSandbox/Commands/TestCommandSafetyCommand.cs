using System.Management.Automation;
using CodexSandbox.Engine.Analysis;
using CodexSandbox.Engine.Rules;

namespace CodexSandbox.Commands;

/// <summary>Analyses commands without running them: safety, matching rules, and the decision under the policy.</summary>
[Cmdlet(VerbsDiagnostic.Test, "CommandSafety", DefaultParameterSetName = CommandLineSet)]
[OutputType(typeof(CommandAssessment))]
[OutputType(typeof(bool))]
public sealed class TestCommandSafetyCommand : SandboxCmdletBase
{
    private const string CommandLineSet = "CommandLine";
    private const string ArgvSet = "Argv";

    private RuleSet? _rules;
    private SandboxPolicy? _policy;
    private bool _allAllowed = true;

    /// <summary>Command lines to analyse (POSIX shell or PowerShell, see -Shell).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = CommandLineSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Command", "CommandLine")]
    [ValidateNotNull]
    [AllowEmptyString]
    public string[] InputObject { get; set; } = [];

    /// <summary>One command as an argv (no shell involved).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ArgvSet)]
    [ValidateNotNullOrEmpty]
    public string[] Argv { get; set; } = [];

    /// <summary>How to read the command lines.</summary>
    [Parameter(ParameterSetName = CommandLineSet)]
    public ShellSelection Shell { get; set; } = ShellSelection.Auto;

    /// <summary>Extra .rules files, applied on top of the rules of the config layers.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] RulesPath { get; set; } = [];

    /// <summary>Assess as if the command asked to run outside the sandbox.</summary>
    [Parameter]
    public SwitchParameter RequestUnsandboxed { get; set; }

    /// <summary>Return only whether every command would run without asking.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void BeginProcessing()
    {
        _policy = ResolvePolicy();
        var extra = RulesPath.Select(GetUnresolvedProviderPathFromPSPath).ToList();
        foreach (var missing in extra.Where(p => !File.Exists(p)))
        {
            ThrowTerminatingError(Internal.Errors.Record(new FileNotFoundException($"The rules file '{missing}' does not exist.", missing), Internal.Errors.RulesNotFound, missing));
        }
        // the same rules a run would use: a broken file is reported as the error a run would stop with, not assessed around
        _rules = LoadRules(extra);
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ArgvSet)
        {
            Emit(CommandAnalyzer.AssessArgv(Argv, _rules, _policy!.SandboxMode, _policy.ApprovalPolicy, RequestUnsandboxed,
                network: _policy.NetworkMode, writableRoots: Roots, workingDirectory: _policy.WorkingDirectory, granular: _policy.GranularApproval,
                unsandboxedRefusal: Engine.Policy.UnsandboxedRefusal.For(_policy)));
            return;
        }
        ShellKind? shell = Shell switch { ShellSelection.Posix => ShellKind.Posix, ShellSelection.PowerShell => ShellKind.PowerShell, _ => null };
        foreach (var line in InputObject)
        {
            Emit(CommandAnalyzer.Assess(line, shell, _rules, _policy!.SandboxMode, _policy.ApprovalPolicy, RequestUnsandboxed,
                network: _policy.NetworkMode, writableRoots: Roots, workingDirectory: _policy.WorkingDirectory, granular: _policy.GranularApproval,
                unsandboxedRefusal: Engine.Policy.UnsandboxedRefusal.For(_policy)));
        }
    }

    protected override void EndProcessing()
    {
        if (Quiet) WriteObject(_allAllowed);
    }

    private IReadOnlyList<string> Roots => _policy!.WritableRoots.Select(r => r.Path).ToList();

    private void Emit(CommandAssessment assessment)
    {
        if (assessment.Decision != ApprovalDecision.Allow) _allAllowed = false;
        if (!Quiet) WriteObject(assessment);
    }
}
