using System.Collections;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Management.Automation.Host;
using CodexSandbox.Engine.Analysis;
using CodexSandbox.Engine.Approval;
using CodexSandbox.Engine.Audit;
using CodexSandbox.Engine.Backends;
using CodexSandbox.Engine.Execution;
using CodexSandbox.Engine.Rollback;
using CodexSandbox.Engine.Rules;
using CodexSandbox.Internal;

namespace CodexSandbox.Commands;

/// <summary>Decides, approves and runs one command inside the sandbox.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "SandboxedCommand", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ArgvSet)]
[OutputType(typeof(SandboxResult))]
public sealed class InvokeSandboxedCommandCommand : SandboxCmdletBase
{
    private const string ArgvSet = "Argv";
    private const string CommandLineSet = "CommandLine";
    private const string ScriptBlockSet = "ScriptBlock";

    // "Yes to All" approves the same canonical command for the rest of the session (all invocations) — the runspace's
    // session, so another runspace in the same process (a job, a hosted runspace) is asked again.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, SessionApprovals> s_sessions = new();

    private static SessionApprovals Session =>
        s_sessions.GetValue((object?)System.Management.Automation.Runspaces.Runspace.DefaultRunspace ?? s_sessions, _ => new SessionApprovals());

    private readonly CancellationTokenSource _stop = new();
    private bool _yesToAll, _noToAll;
    private SandboxPolicy? _policy;
    private RuleSet? _rules;
    private AuditTrail? _audit;

    // -FilePath and -ArgumentList bind by name only: a positional or remaining-arguments binding let the program's own
    // flags land in our parameters (cat -r bound -RequestUnsandboxed). The module's Invoke-SandboxedCommand function is the
    // front door for "Invoke-SandboxedCommand <program> <arguments>" (SandboxedCommandFrontDoor).

    /// <summary>The program to run; found on the sandbox's PATH.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ArgvSet)]
    [ValidateNotNullOrEmpty]
    public string FilePath { get; set; } = "";

    /// <summary>Its arguments, passed as they are (no shell).</summary>
    [Parameter(ParameterSetName = ArgvSet)]
    [AllowEmptyString]
    public string[] ArgumentList { get; set; } = [];

    /// <summary>A POSIX shell line, run as <c>/bin/sh -c</c>.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CommandLineSet, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public string Command { get; set; } = "";

    /// <summary>PowerShell code, run in a sandboxed <c>pwsh -NoProfile -NonInteractive</c>.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ScriptBlockSet)]
    public ScriptBlock? ScriptBlock { get; set; }

    /// <summary>Kill the command (and everything it started) after this many seconds; overrides [sandbox_limits] timeout_sec.</summary>
    [Parameter]
    [ValidateRange(1, 86400 * 7)]
    public int TimeoutSec { get; set; }

    /// <summary>Variables to set in the sandbox, after the environment policy.</summary>
    [Parameter]
    public Hashtable? Environment { get; set; }

    /// <summary>Ask to run outside the sandbox (on-request only; always asks or needs -Force).</summary>
    [Parameter]
    public SwitchParameter RequestUnsandboxed { get; set; }

    /// <summary>Why the command needs to run outside the sandbox; shown in the prompt.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Justification { get; set; }

    /// <summary>Checkpoint the writable roots before the run, for Undo-SandboxChange.</summary>
    [Parameter]
    public SwitchParameter Checkpoint { get; set; }

    /// <summary>Approve what would need approval, without prompting. Never overrides a forbidden command.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Write output lines as they arrive (stdout as strings, stderr as information records), then the result.</summary>
    [Parameter]
    public SwitchParameter Stream { get; set; }

    protected override void BeginProcessing()
    {
        _policy = ResolvePolicy();
        _rules = LoadRules(); // a broken rules file stops the run here
        _audit = new AuditTrail(_policy.Audit, this);
    }

    protected override void StopProcessing() => _stop.Cancel();

    protected override void ProcessRecord()
    {
        var (argv, display) = BuildArgv();
        var policy = _policy!;
        var roots = policy.WritableRoots.Select(r => r.Path).ToList();
        var assessment = ParameterSetName == CommandLineSet
            ? CommandAnalyzer.Assess(Command, ShellKind.Posix, _rules, policy.SandboxMode, policy.ApprovalPolicy, RequestUnsandboxed, Justification,
                network: policy.NetworkMode, writableRoots: roots, workingDirectory: policy.WorkingDirectory)
            : ParameterSetName == ScriptBlockSet
                ? CommandAnalyzer.Assess(display, ShellKind.PowerShell, _rules, policy.SandboxMode, policy.ApprovalPolicy, RequestUnsandboxed, Justification,
                    network: policy.NetworkMode, writableRoots: roots, workingDirectory: policy.WorkingDirectory)
                : CommandAnalyzer.AssessArgv(argv, _rules, policy.SandboxMode, policy.ApprovalPolicy, RequestUnsandboxed, Justification,
                    network: policy.NetworkMode, writableRoots: roots, workingDirectory: policy.WorkingDirectory);
        var reason = assessment.Reasons.Count > 0 ? string.Join(" ", assessment.Reasons) : null;
        var runId = AuditLog.NewId();

        try
        {
            if (assessment.Decision == ApprovalDecision.Forbidden)
            {
                _audit!.Append(Entry(AuditEventType.CommandBlocked, argv, display, "Forbidden", assessment.DecidedByRule ? "Rule" : "Policy", reason, assessment));
                WriteError(Errors.Record(new UnauthorizedAccessException($"'{display}' was rejected: {reason}"), "CommandRejected", ErrorCategory.PermissionDenied, display,
                    assessment.DecidedByRule ? "A forbidden exec-policy rule matched; -Force cannot override it." : "Change the command, or the approval_policy / sandbox_mode that forbids it."));
                return;
            }

            var request = new RunRequest
            {
                Policy = policy,
                Argv = argv,
                CommandLine = display,
                Timeout = TimeoutSec > 0 ? TimeSpan.FromSeconds(TimeoutSec) : null,
                ExtraEnvironment = ExtraEnvironment(),
                Unsandboxed = !assessment.RunsSandboxed,
            };
            SandboxHost host;
            PlannedRun planned;
            try
            {
                host = SandboxHost.Detect(ModuleBase);
                planned = SandboxExecutor.Plan(request, host);
            }
            catch (SandboxUnavailableException e)
            {
                _audit!.Append(Entry(AuditEventType.SandboxUnavailable, argv, display, null, null, e.Message, assessment));
                throw;
            }
            using var run = planned;

            if (!ShouldProcess(LaunchPlanText.Describe(display, assessment, run.Plan), $"Run '{display}' in the sandbox?", "Invoke-SandboxedCommand")) return;

            var source = assessment.DecidedByRule ? DecisionSource.Rule : DecisionSource.Policy;
            if (assessment.Decision == ApprovalDecision.Prompt)
            {
                if (Approve(assessment, display, reason, argv, runId) is not { } approvedBy) return;
                source = approvedBy;
            }

            _audit!.EnsureWritable();
            var checkpoint = TakeCheckpoint(request, source, runId);
            var result = Execute(run, display, assessment, source, reason, runId, checkpoint);
            if (result is null) return;

            if (result.LikelySandboxDenial)
            {
                _audit.Append(Entry(AuditEventType.PolicyViolation, argv, display, null, null, "the run failed in a way that looks like the sandbox blocked it", assessment, runId));
                if (assessment.OffersUnsandboxedRetry && RetryApproved(display))
                {
                    var retryId = AuditLog.NewId();
                    using var retryRun = SandboxExecutor.Plan(request with { Unsandboxed = true }, host);
                    var retry = Execute(retryRun, display, assessment, DecisionSource.User, "retried without the sandbox after a likely sandbox denial", retryId, checkpoint: null);
                    if (retry is not null) result = retry;
                }
            }
            SessionState.PSVariable.Set("global:LASTEXITCODE", result.ExitCode);
            if (!_stop.IsCancellationRequested) WriteObject(result);
        }
        catch (Exception e) when (MapRunError(e, display) is { } record)
        {
            if (e is ProgramNotFoundException) SessionState.PSVariable.Set("global:LASTEXITCODE", 127);
            WriteError(record);
        }
    }

    /// <summary>Runs (sandboxed or not, as the request says), audits the run, and returns the result with its audit id.</summary>
    private SandboxResult? Execute(PlannedRun run, string display, CommandAssessment assessment, DecisionSource source, string? reason, string runId, Checkpoint? checkpoint)
    {
        var request = run.Request;
        var decisions = new ConcurrentQueue<NetworkDecision>();
        SandboxResult result;
        try
        {
            result = Stream ? RunStreaming(run, decisions) : SandboxExecutor.Run(run, null, _stop.Token, decisions.Enqueue);
        }
        finally
        {
            foreach (var d in decisions)
            {
                _audit!.Append(new AuditEntry
                {
                    EventType = AuditEventType.NetworkDecision, Decision = d.Allowed ? "Allow" : "Block", Command = $"{d.Protocol} {d.Host}:{d.Port}",
                    Reason = d.Reason, Rule = d.Rule, RelatedId = runId, WorkingDirectory = request.Policy.WorkingDirectory,
                });
            }
        }
        if (checkpoint is { Taken: true })
        {
            try { checkpoint = new CheckpointStore(CheckpointStores.Directory()).MarkAfterRun(checkpoint); }
            catch (CheckpointException e) { WriteWarning($"The post-run state of checkpoint {checkpoint.Id} was not recorded: {e.Message}"); }
        }
        result = WithDecision(result, assessment, source, reason, checkpoint);
        var auditId = _audit!.Append(new AuditEntry
        {
            Id = runId, EventType = AuditEventType.CommandExecuted, Decision = result.Decision.ToString(), DecisionSource = source.ToString(),
            Command = display, Argv = request.Argv, WorkingDirectory = result.WorkingDirectory, SandboxMode = result.SandboxMode,
            NetworkAccess = request.Unsandboxed ? NetworkMode.On : request.Policy.NetworkMode, WritableRoots = result.WritableRoots, Backend = result.Backend,
            Enforcement = result.Enforcement, ExitCode = result.ExitCode, Duration = result.Duration, TimedOut = result.TimedOut,
            StdoutBytes = result.StdoutBytes, StderrBytes = result.StderrBytes, Stdout = result.Stdout, Stderr = result.Stderr,
            Reason = reason, Details = checkpoint is { Taken: true } ? new Dictionary<string, string> { ["checkpoint"] = checkpoint.Id } : null,
        });
        // The result and its audit record share one id.
        return result with { Id = Guid.ParseExact(runId, "N"), AuditId = auditId };
    }

    private static SandboxResult WithDecision(SandboxResult r, CommandAssessment a, DecisionSource source, string? reason, Checkpoint? checkpoint) =>
        r with { Decision = a.Decision, DecisionSource = source, Reason = reason, CheckpointId = checkpoint is { Taken: true } ? checkpoint.Id : null };

    /// <summary>The approval prompt. Returns who approved, or null when the command must not run (an error has been written).</summary>
    private DecisionSource? Approve(CommandAssessment assessment, string display, string? reason, IReadOnlyList<string> argv, string runId)
    {
        var policy = _policy!;
        bool escalated = !assessment.RunsSandboxed;
        if (Session.IsApproved(assessment.CanonicalKey, policy.WorkingDirectory, escalated))
        {
            _audit!.Append(Entry(AuditEventType.ApprovalGranted, argv, display, "Prompt", "Session", reason, assessment, runId));
            return DecisionSource.Session;
        }
        _audit!.Append(Entry(AuditEventType.ApprovalRequested, argv, display, "Prompt", null, reason, assessment, runId));
        if (Force)
        {
            _audit.Append(Entry(AuditEventType.ApprovalGranted, argv, display, "Prompt", "Force", reason, assessment, runId));
            return DecisionSource.Force;
        }
        var where = assessment.RunsSandboxed ? "inside the sandbox" : "WITHOUT the sandbox";
        var query = $"Run '{display}' {where}?{(reason is null ? "" : " " + reason)}{(Justification is null ? "" : $" Justification: {Justification}")}";
        bool yes;
        try
        {
            yes = ShouldContinue(query, "Sandbox approval", hasSecurityImpact: true, ref _yesToAll, ref _noToAll);
        }
        // HostException: a host without UI; PSInvalidOperationException: -NonInteractive; NullReferenceException:
        // what the console host throws when stdin is at end-of-file (powershell-conventions.md §4, case 13).
        catch (Exception e) when (e is HostException or PSInvalidOperationException or NullReferenceException)
        {
            _audit.Append(Entry(AuditEventType.ApprovalDenied, argv, display, "Prompt", "NoPrompt", "the session cannot prompt", assessment, runId));
            WriteError(Errors.Record(new UnauthorizedAccessException(
                    $"'{display}' needs approval under approval_policy = \"{Engine.Policy.ConfigNames.Of(policy.ApprovalPolicy)}\" ({reason ?? "not known to be safe"}), and this session cannot prompt."),
                "ApprovalRequired", ErrorCategory.PermissionDenied, display,
                "Add -Force to approve it, or change approval_policy (for example -ApprovalPolicy Never rejects instead of asking)."));
            return null;
        }
        if (!yes)
        {
            _audit.Append(Entry(AuditEventType.ApprovalDenied, argv, display, "Prompt", "User", reason, assessment, runId));
            WriteError(Errors.Record(new OperationCanceledException($"'{display}' was not approved."), "ApprovalDenied", ErrorCategory.OperationStopped, display));
            return null;
        }
        if (_yesToAll) Session.Approve(assessment.CanonicalKey, policy.WorkingDirectory, escalated);
        _audit.Append(Entry(AuditEventType.ApprovalGranted, argv, display, "Prompt", "User", reason, assessment, runId));
        return DecisionSource.User;
    }

    // The unsandboxed retry after a likely denial is an explicit, interactive yes: -Force does not grant it.
    private bool RetryApproved(string display)
    {
        try
        {
            return ShouldContinue($"'{display}' failed, probably because the sandbox blocked it. Run it again WITHOUT the sandbox?",
                "Retry without the sandbox", hasSecurityImpact: true, ref _yesToAll, ref _noToAll);
        }
        catch (Exception e) when (e is HostException or PSInvalidOperationException or NullReferenceException)
        {
            WriteVerbose("The run looks blocked by the sandbox; this session cannot prompt, so it is not retried without the sandbox.");
            return false;
        }
    }

    private Checkpoint? TakeCheckpoint(RunRequest request, DecisionSource source, string runId)
    {
        var policy = request.Policy;
        bool writes = request.Unsandboxed || policy.SandboxMode != SandboxMode.ReadOnly;
        bool wanted = Checkpoint || policy.Checkpoint == CheckpointMode.Always
            || (policy.Checkpoint == CheckpointMode.OnApproval && source is DecisionSource.User or DecisionSource.Force or DecisionSource.Session);
        if (!writes || !wanted) return null;
        var roots = CheckpointRoots.For(policy, request.Unsandboxed, policy.Environment);
        if (roots.Count == 0) return null;
        var store = new CheckpointStore(CheckpointStores.Directory());
        var checkpoint = store.Take(roots, policy.MaxSnapshotMB * 1024 * 1024, runId);
        if (!checkpoint.Taken)
        {
            WriteWarning($"No checkpoint was taken: {checkpoint.Reason}");
            return null;
        }
        if (checkpoint.Reason is not null) WriteWarning($"Checkpoint {checkpoint.Id}: {checkpoint.Reason}");
        _audit!.Append(new AuditEntry
        {
            EventType = AuditEventType.CheckpointCreated, RelatedId = runId, WorkingDirectory = policy.WorkingDirectory, WritableRoots = checkpoint.Roots,
            Details = new Dictionary<string, string> { ["checkpoint"] = checkpoint.Id, ["kind"] = checkpoint.Kind.ToString(), ["bytes"] = checkpoint.SizeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        });
        store.Prune(TimeSpan.FromDays(policy.Audit.RetentionDays));
        return checkpoint;
    }

    private AuditEntry Entry(AuditEventType type, IReadOnlyList<string> argv, string display, string? decision, string? source, string? reason, CommandAssessment a, string? relatedId = null) => new()
    {
        EventType = type, RelatedId = relatedId, Decision = decision, DecisionSource = source, Command = display, Argv = argv, Reason = reason,
        Rule = a.MatchedRules.Count > 0 ? string.Join("; ", a.MatchedRules.Select(m => $"{m.Pattern} ({m.Decision}) {m.Source}")) : null,
        WorkingDirectory = _policy!.WorkingDirectory, SandboxMode = _policy.SandboxMode, NetworkAccess = _policy.NetworkMode,
    };

    // The runner reports lines from its reader threads; only the pipeline thread may write, so lines are queued.
    private SandboxResult RunStreaming(PlannedRun run, ConcurrentQueue<NetworkDecision> decisions)
    {
        var lines = new BlockingCollection<OutputLine>();
        var task = Task.Run(() =>
        {
            try { return SandboxExecutor.Run(run, lines.Add, _stop.Token, decisions.Enqueue); }
            finally { lines.CompleteAdding(); }
        });
        try
        {
            foreach (var line in lines.GetConsumingEnumerable())
            {
                if (line.IsError) WriteInformation(new HostInformationMessage { Message = line.Text, NoNewLine = false }, ["PSHOST", "stderr"]);
                else WriteObject(line.Text);
            }
        }
        finally
        {
            if (!task.IsCompleted)
            {
                // The pipeline stopped under us (Ctrl+C, Select-Object -First): end the run, and let the producer finish
                // before the queue it adds to goes away.
                _stop.Cancel();
                try { task.Wait(); } catch (AggregateException) { }
            }
            lines.Dispose();
        }
        return task.GetAwaiter().GetResult();
    }

    private (IReadOnlyList<string> Argv, string Display) BuildArgv()
    {
        switch (ParameterSetName)
        {
            case CommandLineSet:
                // Windows has no /bin/sh; a POSIX sh on PATH (Git for Windows ships one) runs the line there.
                return ([OperatingSystem.IsWindows() ? "sh" : "/bin/sh", "-c", Command], Command);
            case ScriptBlockSet:
                var script = ScriptBlock!.ToString().Trim();
                return ([.. PwshCommand(), "-NoProfile", "-NonInteractive", "-Command", script], script);
            default:
                var argv = new List<string> { FilePath };
                argv.AddRange(ArgumentList);
                return (argv, string.Join(' ', argv.Select(LaunchPlanText.Quote)));
        }
    }

    // The PowerShell that runs this module, so -ScriptBlock works without a global pwsh (for example the dotnet tool).
    private static string[] PwshCommand()
    {
        var process = System.Environment.ProcessPath ?? "pwsh";
        if (Path.GetFileNameWithoutExtension(process) == "pwsh") return [process];
        var pwshDll = Path.Combine(Path.GetDirectoryName(typeof(PSObject).Assembly.Location)!, "pwsh.dll");
        return File.Exists(pwshDll) ? [process, pwshDll] : ["pwsh"];
    }

    private IReadOnlyDictionary<string, string> ExtraEnvironment()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Environment is null) return result;
        foreach (DictionaryEntry e in Environment) result[e.Key.ToString()!] = e.Value?.ToString() ?? "";
        return result;
    }

    private static string ModuleBase => Path.GetDirectoryName(typeof(InvokeSandboxedCommandCommand).Assembly.Location)!;

    private static ErrorRecord? MapRunError(Exception e, string target) => e switch
    {
        SandboxUnavailableException s => Errors.Record(s, "SandboxUnavailable", ErrorCategory.ResourceUnavailable, target, s.Remedy),
        AuditUnavailableException a => Errors.Record(a, "SandboxUnavailable", ErrorCategory.ResourceUnavailable, target,
            "Make the audit log folder writable, point [sandbox_audit] path elsewhere, or set required = false."),
        ProgramNotFoundException c when c.Program == "sh" && OperatingSystem.IsWindows() => Errors.Record(c, "CommandNotFound", ErrorCategory.ObjectNotFound, c.Program,
            "On Windows a -Command line needs a POSIX sh on the policy's PATH (Git for Windows installs one); or use -ScriptBlock, or a program with -ArgumentList."),
        ProgramNotFoundException c => Errors.Record(c, "CommandNotFound", ErrorCategory.ObjectNotFound, c.Program,
            "Check the spelling, or give the full path; the sandbox's PATH is the policy's (Get-SandboxPolicy shows it)."),
        ArgumentException a => Errors.Record(a, "InvalidCommandArgument", ErrorCategory.InvalidArgument, target),
        System.ComponentModel.Win32Exception w when w.NativeErrorCode == 7 => Errors.Record(w, "ArgumentListTooLong", ErrorCategory.LimitsExceeded, target,
            "The argument list exceeds the kernel's limit (E2BIG); pass data through a file instead."),
        System.ComponentModel.Win32Exception w => Errors.Record(w, "StartFailed", ErrorCategory.OpenError, target),
        _ => null,
    };
}
