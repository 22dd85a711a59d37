using System.Collections.Concurrent;
using CodexSandbox.Engine.Analysis;
using CodexSandbox.Engine.Approval;
using CodexSandbox.Engine.Audit;
using CodexSandbox.Engine.Backends;
using CodexSandbox.Engine.Execution;
using CodexSandbox.Engine.Policy;
using CodexSandbox.Engine.Rollback;

namespace CodexSandbox.Engine.Run;

/// <summary>
/// The whole sequence of one command: decide, plan, confirm, ask, checkpoint, run (streaming if asked), offer the
/// unsandboxed retry after a likely sandbox denial, and record every step in the audit log. What only the caller can
/// do (ask the user, write, report progress) goes through <see cref="IRunHost"/>, always on the calling thread.
/// </summary>
/// <remarks>
/// A refusal is recorded first and then thrown: <see cref="CommandRejectedException"/>, <see cref="ApprovalRequiredException"/>,
/// <see cref="ApprovalDeniedException"/>. So are the failures of the stages it calls (<see cref="SandboxUnavailableException"/>,
/// <see cref="AuditUnavailableException"/>, <see cref="ProgramNotFoundException"/>, a start failure), which the caller maps to its errors.
/// </remarks>
public sealed class CommandRun
{
    private const string LikelyDenial = "the run failed in a way that looks like the sandbox blocked it";
    private const string RetryReason = "retried without the sandbox after a likely sandbox denial";

    private readonly RunSettings _settings;
    private readonly IRunHost _host;
    private readonly AuditTrail _audit;

    public CommandRun(RunSettings settings, IRunHost host)
    {
        _settings = settings;
        _host = host;
        _audit = new AuditTrail(settings.Policy.Audit, host.WriteWarning, settings.Config);
    }

    private SandboxPolicy Policy => _settings.Policy;

    /// <summary>The decision for <paramref name="command"/> under the policy and rules, as <see cref="Run"/> makes it.</summary>
    public CommandAssessment Assess(CommandToRun command)
    {
        var p = Policy;
        var roots = p.WritableRoots.Select(r => r.Path).ToList();
        return command.Shell == ShellKind.Argv
            ? CommandAnalyzer.AssessArgv(command.Argv, _settings.Rules, p.SandboxMode, p.ApprovalPolicy, _settings.RequestUnsandboxed, _settings.Justification,
                network: p.NetworkMode, writableRoots: roots, workingDirectory: p.WorkingDirectory, granular: p.GranularApproval,
                unsandboxedRefusal: UnsandboxedRefusal.For(p))
            : CommandAnalyzer.Assess(command.Display, command.Shell, _settings.Rules, p.SandboxMode, p.ApprovalPolicy, _settings.RequestUnsandboxed, _settings.Justification,
                network: p.NetworkMode, writableRoots: roots, workingDirectory: p.WorkingDirectory, granular: p.GranularApproval,
                unsandboxedRefusal: UnsandboxedRefusal.For(p));
    }

    /// <summary>Runs <paramref name="command"/> through the whole sequence; returns its result (also given to the host), or null when the plan was not confirmed.</summary>
    public SandboxResult? Run(CommandToRun command, CancellationToken cancel)
    {
        if (_settings.Interactive) InteractiveTerminal.EnsureAvailable();
        var assessment = Assess(command);
        var reason = assessment.Reasons.Count > 0 ? string.Join(" ", assessment.Reasons) : null;
        var runId = AuditLog.NewId();

        if (assessment.Decision == ApprovalDecision.Forbidden)
        {
            _audit.Append(RunAuditEntries.Decision(AuditEventType.CommandBlocked, Policy, command, "Forbidden", assessment.DecidedByRule ? "Rule" : "Policy", reason, assessment));
            throw new CommandRejectedException($"'{command.Display}' was rejected: {reason}", assessment.DecidedByRule);
        }

        var request = new RunRequest
        {
            Policy = Policy,
            Argv = command.Argv,
            CommandLine = command.Display,
            Timeout = _settings.Timeout,
            ExtraEnvironment = _settings.ExtraEnvironment,
            Unsandboxed = !assessment.RunsSandboxed,
            Interactive = _settings.Interactive,
        };
        if (request.Unsandboxed && UnsandboxedRefusal.For(Policy) is { } refusal)
        {
            // the approval engine already keeps such runs sandboxed; this is the last line before a launch
            throw new CommandRejectedException($"'{command.Display}' was rejected: {refusal}.", false);
        }
        SandboxHost host;
        PlannedRun planned;
        try
        {
            host = _settings.DetectHost();
            planned = SandboxExecutor.Plan(request, host); // planned once: -WhatIf, -Verbose and the run see this same plan
        }
        catch (SandboxUnavailableException e)
        {
            _audit.Append(RunAuditEntries.Decision(AuditEventType.SandboxUnavailable, Policy, command, null, null, e.Message, assessment));
            throw;
        }

        using var run = planned;
        if (!_host.ConfirmPlan(command.Display, assessment, run.Plan)) return null;

        var source = assessment.DecidedByRule ? DecisionSource.Rule : DecisionSource.Policy;
        if (assessment.Decision == ApprovalDecision.Prompt) source = Approve(command, assessment, reason, runId);

        _audit.EnsureWritable();
        var checkpoint = TakeCheckpoint(request, source, runId);
        var result = Execute(run, assessment, source, reason, runId, checkpoint, cancel);
        if (result.LikelySandboxDenial)
        {
            _audit.Append(RunAuditEntries.Decision(AuditEventType.PolicyViolation, Policy, command, null, null, LikelyDenial, assessment, runId));
            if (assessment.OffersUnsandboxedRetry && RetryApproved(command.Display))
            {
                using var retry = SandboxExecutor.Plan(request with { Unsandboxed = true }, host);
                result = Execute(retry, assessment, DecisionSource.User, RetryReason, AuditLog.NewId(), checkpoint: null, cancel);
            }
        }
        WarnIfCut(result);
        _host.WriteResult(result);
        return result;
    }

    // The kept text stops at output_max_bytes while the counts go on: say so, with the size and the setting to raise.
    private void WarnIfCut(SandboxResult result)
    {
        var cut = new List<string>();
        if (result.StdoutTruncated) cut.Add($"stdout ({result.StdoutBytes} bytes)");
        if (result.StderrTruncated) cut.Add($"stderr ({result.StderrBytes} bytes)");
        if (cut.Count == 0) return;
        _host.WriteWarning($"The result keeps only the first {Policy.Limits.OutputMaxBytes} bytes of {string.Join(" and ", cut)}: " +
            "raise [sandbox_limits] output_max_bytes in config.toml to keep more, or use -Stream to see every line as it comes.");
    }

    /// <summary>The approval step of a command that needs it. Returns who approved; a refusal is recorded and thrown.</summary>
    private DecisionSource Approve(CommandToRun command, CommandAssessment assessment, string? reason, string runId)
    {
        bool escalated = !assessment.RunsSandboxed;
        var session = _settings.Session;
        if (session.IsApproved(assessment.CanonicalKey, Policy.WorkingDirectory, escalated))
        {
            _audit.Append(RunAuditEntries.Decision(AuditEventType.ApprovalGranted, Policy, command, "Prompt", "Session", reason, assessment, runId));
            return DecisionSource.Session;
        }
        _audit.Append(RunAuditEntries.Decision(AuditEventType.ApprovalRequested, Policy, command, "Prompt", null, reason, assessment, runId));
        if (_settings.Force)
        {
            _audit.Append(RunAuditEntries.Decision(AuditEventType.ApprovalGranted, Policy, command, "Prompt", "Force", reason, assessment, runId));
            return DecisionSource.Force;
        }
        var where = assessment.RunsSandboxed ? "inside the sandbox" : "WITHOUT the sandbox";
        var justification = _settings.Justification;
        var query = $"Run '{command.Display}' {where}?{(reason is null ? "" : " " + reason)}{(justification is null ? "" : $" Justification: {justification}")}";
        switch (_host.Ask(query, "Sandbox approval"))
        {
            case ApprovalAnswer.CannotPrompt:
                _audit.Append(RunAuditEntries.Decision(AuditEventType.ApprovalDenied, Policy, command, "Prompt", "NoPrompt", "the session cannot prompt", assessment, runId));
                throw new ApprovalRequiredException(
                    $"'{command.Display}' needs approval under approval_policy = \"{ConfigNames.Of(Policy.ApprovalPolicy)}\" ({reason ?? "not known to be safe"}), and this session cannot prompt.");
            case ApprovalAnswer.No or ApprovalAnswer.NoToAll:
                _audit.Append(RunAuditEntries.Decision(AuditEventType.ApprovalDenied, Policy, command, "Prompt", "User", reason, assessment, runId));
                throw new ApprovalDeniedException($"'{command.Display}' was not approved.");
            case ApprovalAnswer.YesToAll:
                session.Approve(assessment.CanonicalKey, Policy.WorkingDirectory, escalated);
                break;
        }
        _audit.Append(RunAuditEntries.Decision(AuditEventType.ApprovalGranted, Policy, command, "Prompt", "User", reason, assessment, runId));
        return DecisionSource.User;
    }

    // The unsandboxed retry after a likely denial is an explicit, interactive yes: -Force does not grant it.
    private bool RetryApproved(string display)
    {
        var answer = _host.Ask($"'{display}' failed, probably because the sandbox blocked it. Run it again WITHOUT the sandbox?", "Retry without the sandbox");
        if (answer == ApprovalAnswer.CannotPrompt)
        {
            _host.WriteVerbose("The run looks blocked by the sandbox; this session cannot prompt, so it is not retried without the sandbox.");
            return false;
        }
        return answer is ApprovalAnswer.Yes or ApprovalAnswer.YesToAll;
    }

    private Checkpoint? TakeCheckpoint(RunRequest request, DecisionSource source, string runId)
    {
        var policy = request.Policy;
        bool writes = request.Unsandboxed || policy.SandboxMode != SandboxMode.ReadOnly;
        bool wanted = _settings.Checkpoint || policy.Checkpoint == CheckpointMode.Always
            || (policy.Checkpoint == CheckpointMode.OnApproval && source is DecisionSource.User or DecisionSource.Force or DecisionSource.Session);
        if (!writes || !wanted) return null;
        var roots = CheckpointRoots.For(policy, request.Unsandboxed, policy.Environment);
        if (roots.Count == 0) return null;
        var store = new CheckpointStore(_settings.CheckpointDirectory);
        const string activity = "Checkpoint before the run";
        _host.ReportProgress(new RunProgress(activity, $"Saving {string.Join(", ", roots)} for Undo-SandboxChange", Completed: false));
        Checkpoint checkpoint;
        try
        {
            checkpoint = store.Take(roots, policy.MaxSnapshotMB * 1024 * 1024, runId);
        }
        finally
        {
            _host.ReportProgress(new RunProgress(activity, "Saved", Completed: true));
        }
        if (!checkpoint.Taken)
        {
            _host.WriteWarning($"No checkpoint was taken: {checkpoint.Reason}");
            return null;
        }
        if (checkpoint.Reason is not null) _host.WriteWarning($"Checkpoint {checkpoint.Id}: {checkpoint.Reason}");
        _audit.Append(RunAuditEntries.CheckpointCreated(policy, checkpoint, runId));
        store.Prune(TimeSpan.FromDays(policy.Audit.RetentionDays));
        return checkpoint;
    }

    /// <summary>Runs (sandboxed or not, as the request says), records the run, and returns the result with its audit id.</summary>
    private SandboxResult Execute(PlannedRun run, CommandAssessment assessment, DecisionSource source, string? reason, string runId,
        Checkpoint? checkpoint, CancellationToken cancel)
    {
        var request = run.Request;
        var decisions = new ConcurrentQueue<NetworkDecision>();
        SandboxResult result;
        try
        {
            result = _settings.Stream && !request.Interactive ? RunStreaming(run, decisions, cancel) : SandboxExecutor.Run(run, null, cancel, decisions.Enqueue);
        }
        finally
        {
            foreach (var d in decisions) _audit.Append(RunAuditEntries.Network(d, runId, request.Policy.WorkingDirectory));
        }
        if (checkpoint is { Taken: true })
        {
            try { checkpoint = new CheckpointStore(_settings.CheckpointDirectory).MarkAfterRun(checkpoint); }
            catch (CheckpointException e) { _host.WriteWarning($"The post-run state of checkpoint {checkpoint.Id} was not recorded: {e.Message}"); }
        }
        result = result with
        {
            Decision = assessment.Decision, DecisionSource = source, Reason = reason, CheckpointId = checkpoint is { Taken: true } ? checkpoint.Id : null,
            OutputStreamed = _settings.Stream,
        };
        var auditId = _audit.Append(RunAuditEntries.Executed(runId, request, result, source, reason, checkpoint));
        // The result and its audit record share one id.
        return result with { Id = Guid.ParseExact(runId, "N"), AuditId = auditId };
    }

    // The runner reports lines from its reader threads; only the calling (pipeline) thread may write, so lines are queued
    // and handed to the host here.
    private SandboxResult RunStreaming(PlannedRun run, ConcurrentQueue<NetworkDecision> decisions, CancellationToken cancel)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var lines = new BlockingCollection<OutputLine>();
        var task = Task.Run(() =>
        {
            try { return SandboxExecutor.Run(run, lines.Add, stop.Token, decisions.Enqueue); }
            finally { lines.CompleteAdding(); }
        });
        try
        {
            foreach (var line in lines.GetConsumingEnumerable())
            {
                if (line.IsError) _host.WriteErrorLine(line.Text);
                else _host.WriteOutputLine(line.Text);
            }
        }
        finally
        {
            if (!task.IsCompleted)
            {
                // The host stopped taking lines (Ctrl+C, Select-Object -First): end the run, and let the producer finish
                // before the queue it adds to goes away.
                stop.Cancel();
                try { task.Wait(); } catch (AggregateException) { }
            }
            lines.Dispose();
        }
        return task.GetAwaiter().GetResult();
    }
}
