using CodexSandbox.Engine.Approval;
using CodexSandbox.Engine.Audit;
using CodexSandbox.Engine.Backends;
using CodexSandbox.Engine.Rollback;
using CodexSandbox.Engine.Rules;
using CodexSandbox.Engine.Run;

namespace CodexSandbox.Engine.Tests.Run;

/// <summary>
/// The whole sequence of one command (decide, confirm, ask, checkpoint, run, retry, audit) with a scripted host in
/// place of the cmdlet, real commands, the real executor and the real launcher on this Linux machine.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CommandRunTests : IDisposable
{
    private readonly RunWorld _w = new();

    public void Dispose() => _w.Dispose();

    private static AuditRecord Single(IEnumerable<AuditRecord> records, AuditEventType type) => Assert.Single(records, r => r.EventType == type);

    [Fact]
    public void A_prompt_answered_yes_runs_the_command_in_the_sandbox_and_records_the_request_the_grant_and_the_run()
    {
        var host = new ScriptedRunHost(ApprovalAnswer.Yes);
        var run = new CommandRun(_w.Settings(_w.Policy(SandboxMode.WorkspaceWrite, ApprovalPolicy.Untrusted)), host);

        var result = run.Run(RunWorld.Argv("touch", "made"), CancellationToken.None);

        Assert.NotNull(result);
        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(_w.P("made")));
        Assert.Equal(DecisionSource.User, result.DecisionSource);
        Assert.Equal(ApprovalDecision.Prompt, result.Decision);
        Assert.StartsWith("linux-", result.Backend, StringComparison.Ordinal);
        Assert.Equal([result], host.Results);
        var (query, caption) = Assert.Single(host.Questions);
        Assert.Equal("Sandbox approval", caption);
        Assert.Contains("Run 'touch made' inside the sandbox?", query, StringComparison.Ordinal);
        Assert.Equal(["touch made via " + result.Backend], host.Plans);

        var audit = _w.Audit();
        Assert.Equal([AuditEventType.ApprovalRequested, AuditEventType.ApprovalGranted, AuditEventType.CommandExecuted], audit.Select(r => r.EventType));
        var executed = audit[2];
        Assert.Equal(result.AuditId, executed.Id);
        Assert.Equal(result.Id, Guid.ParseExact(executed.Id, "N"));
        Assert.Equal("User", executed.DecisionSource);
        Assert.Equal(0, executed.ExitCode);
        Assert.All(audit.Take(2), r => Assert.Equal(executed.Id, r.RelatedId));
        Assert.Equal("User", audit[1].DecisionSource);
    }

    [Theory]
    [InlineData(ApprovalAnswer.No)]
    [InlineData(ApprovalAnswer.NoToAll)]
    public void A_prompt_answered_no_records_the_denial_and_runs_nothing(ApprovalAnswer answer)
    {
        var host = new ScriptedRunHost(answer);
        var run = new CommandRun(_w.Settings(_w.Policy(SandboxMode.WorkspaceWrite, ApprovalPolicy.Untrusted)), host);

        var e = Assert.Throws<ApprovalDeniedException>(() => run.Run(RunWorld.Argv("touch", "made"), CancellationToken.None));

        Assert.Contains("'touch made' was not approved", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_w.P("made")));
        Assert.Empty(host.Results);
        var audit = _w.Audit();
        Assert.Equal([AuditEventType.ApprovalRequested, AuditEventType.ApprovalDenied], audit.Select(r => r.EventType));
        Assert.Equal("User", audit[1].DecisionSource);
    }

    [Fact]
    public void Yes_to_all_approves_the_same_command_for_the_rest_of_the_session_and_no_other_session()
    {
        var policy = _w.Policy(SandboxMode.WorkspaceWrite, ApprovalPolicy.Untrusted);
        var first = new CommandRun(_w.Settings(policy), new ScriptedRunHost(ApprovalAnswer.YesToAll)).Run(RunWorld.Argv("touch", "made"), CancellationToken.None);

        // A later call in the same session (a new CommandRun, the same SessionApprovals) is not asked.
        var laterHost = new ScriptedRunHost();
        var second = new CommandRun(_w.Settings(policy), laterHost).Run(RunWorld.Argv("touch", "made"), CancellationToken.None);

        Assert.Equal(DecisionSource.User, first!.DecisionSource);
        Assert.Equal(DecisionSource.Session, second!.DecisionSource);
        Assert.Empty(laterHost.Questions);
        Assert.Equal([second], laterHost.Results);
        var secondRecords = _w.Audit().Where(r => r.Id == second.AuditId || r.RelatedId == second.AuditId).ToList();
        Assert.Equal([AuditEventType.ApprovalGranted, AuditEventType.CommandExecuted], secondRecords.Select(r => r.EventType));
        Assert.All(secondRecords, r => Assert.Equal("Session", r.DecisionSource));

        // Another command is asked again, and so is the same command in another session (runspace), here one that cannot prompt.
        Assert.Throws<ApprovalDeniedException>(() =>
            new CommandRun(_w.Settings(policy), new ScriptedRunHost(ApprovalAnswer.No)).Run(RunWorld.Argv("touch", "other"), CancellationToken.None));
        var e = Assert.Throws<ApprovalRequiredException>(() =>
            new CommandRun(_w.Settings(policy, session: new SessionApprovals()), new ScriptedRunHost(ApprovalAnswer.CannotPrompt))
                .Run(RunWorld.Argv("touch", "made"), CancellationToken.None));
        Assert.Contains("approval_policy = \"untrusted\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("cannot prompt", e.Message, StringComparison.Ordinal);
        var last = _w.Audit()[^1];
        Assert.Equal(AuditEventType.ApprovalDenied, last.EventType);
        Assert.Equal("NoPrompt", last.DecisionSource);
    }

    [Fact]
    public void Force_approves_without_asking_and_says_so_in_the_record()
    {
        var host = new ScriptedRunHost();
        var run = new CommandRun(_w.Settings(_w.Policy(SandboxMode.WorkspaceWrite, ApprovalPolicy.Untrusted)) with { Force = true }, host);

        var result = run.Run(RunWorld.Argv("touch", "made"), CancellationToken.None);

        Assert.Equal(DecisionSource.Force, result!.DecisionSource);
        Assert.Empty(host.Questions);
        Assert.Equal("Force", Single(_w.Audit(), AuditEventType.ApprovalGranted).DecisionSource);
    }

    [Fact]
    public void A_likely_sandbox_denial_is_recorded_and_the_approved_retry_runs_without_the_sandbox()
    {
        var host = new ScriptedRunHost(ApprovalAnswer.Yes);
        var run = new CommandRun(_w.Settings(_w.Policy(SandboxMode.ReadOnly, ApprovalPolicy.OnFailure)), host);

        var result = run.Run(RunWorld.Line("echo x > out.txt"), CancellationToken.None);

        // The retry's result: it ran outside the sandbox, approved by the user, and wrote the file.
        Assert.NotNull(result);
        Assert.Equal(0, result.ExitCode);
        Assert.True(result.Escalated);
        Assert.False(result.LikelySandboxDenial);
        Assert.Equal(DecisionSource.User, result.DecisionSource);
        Assert.Equal("x\n", File.ReadAllText(_w.P("out.txt")));
        Assert.Equal([result], host.Results);
        var (query, caption) = Assert.Single(host.Questions);
        Assert.Equal("Retry without the sandbox", caption);
        Assert.Contains("WITHOUT the sandbox", query, StringComparison.Ordinal);

        var audit = _w.Audit();
        Assert.Equal([AuditEventType.CommandExecuted, AuditEventType.PolicyViolation, AuditEventType.CommandExecuted], audit.Select(r => r.EventType));
        var (denied, violation, retried) = (audit[0], audit[1], audit[2]);
        Assert.NotEqual(0, denied.ExitCode);
        Assert.Equal("Policy", denied.DecisionSource);
        Assert.Equal(SandboxMode.ReadOnly, denied.SandboxMode);
        Assert.Equal(denied.Id, violation.RelatedId);
        Assert.Equal(result.AuditId, retried.Id);
        Assert.NotEqual(denied.Id, retried.Id);
        Assert.Equal("User", retried.DecisionSource);
        Assert.Equal(SandboxMode.DangerFullAccess, retried.SandboxMode);
        Assert.Equal(NetworkMode.On, retried.NetworkAccess);
        Assert.Equal("retried without the sandbox after a likely sandbox denial", retried.Reason);
        Assert.Equal(0, retried.ExitCode);
    }

    [Theory]
    [InlineData(ApprovalAnswer.No)]
    [InlineData(ApprovalAnswer.CannotPrompt)]
    public void A_refused_retry_leaves_the_denied_result(ApprovalAnswer answer)
    {
        var host = new ScriptedRunHost(answer);
        var run = new CommandRun(_w.Settings(_w.Policy(SandboxMode.ReadOnly, ApprovalPolicy.OnFailure)) with { Force = true }, host);

        var result = run.Run(RunWorld.Line("echo x > out.txt"), CancellationToken.None);

        Assert.True(result!.LikelySandboxDenial);
        Assert.False(result.Escalated);
        Assert.False(File.Exists(_w.P("out.txt")));
        Assert.Single(host.Questions); // -Force does not grant the retry: it is still asked
        Assert.Equal(answer == ApprovalAnswer.CannotPrompt, host.Verbose.Any(v => v.Contains("cannot prompt", StringComparison.Ordinal)));
        Assert.Equal([AuditEventType.CommandExecuted, AuditEventType.PolicyViolation], _w.Audit().Select(r => r.EventType));
    }

    [Fact]
    public void A_forbidden_command_is_recorded_as_blocked_and_nothing_is_planned_or_run()
    {
        var rules = RuleSet.Parse("/r/test.rules", "prefix_rule(['touch'], decision='forbidden')");
        var host = new ScriptedRunHost();
        var run = new CommandRun(_w.Settings(_w.Policy(SandboxMode.WorkspaceWrite, ApprovalPolicy.Never), rules) with { Force = true }, host);

        var e = Assert.Throws<CommandRejectedException>(() => run.Run(RunWorld.Argv("touch", "made"), CancellationToken.None));

        Assert.True(e.ByRule);
        Assert.StartsWith("'touch made' was rejected", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_w.P("made")));
        Assert.Equal(0, _w.HostDetections);
        Assert.Empty(host.Plans);
        Assert.Empty(host.Results);
        var blocked = Assert.Single(_w.Audit());
        Assert.Equal(AuditEventType.CommandBlocked, blocked.EventType);
        Assert.Equal("Forbidden", blocked.Decision);
        Assert.Equal("Rule", blocked.DecisionSource);
        Assert.Contains("touch", blocked.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void The_checkpoint_the_run_and_the_result_name_each_other()
    {
        File.WriteAllText(_w.P("f.txt"), "before\n");
        var host = new ScriptedRunHost();
        var run = new CommandRun(_w.Settings(_w.Policy(SandboxMode.WorkspaceWrite, ApprovalPolicy.Never)) with { Checkpoint = true }, host);

        var result = run.Run(RunWorld.Line("echo after > f.txt"), CancellationToken.None);

        Assert.Equal(0, result!.ExitCode);
        Assert.NotNull(result.CheckpointId);
        Assert.NotNull(result.AuditId);
        var audit = _w.Audit();
        Assert.Equal([AuditEventType.CheckpointCreated, AuditEventType.CommandExecuted], audit.Select(r => r.EventType));
        Assert.Equal(result.AuditId, audit[0].RelatedId);
        Assert.Equal(result.CheckpointId, audit[0].Details!["checkpoint"]);
        Assert.Equal(result.AuditId, audit[1].Id);
        Assert.Equal(result.CheckpointId, audit[1].Details!["checkpoint"]);
        var checkpoint = new CheckpointStore(_w.CheckpointDirectory).Find(result.AuditId!);
        Assert.Equal(result.CheckpointId, checkpoint!.Id);
        Assert.Equal(result.AuditId, checkpoint.AuditId);
        Assert.Equal([false, true], host.Progress.Select(p => p.Completed));

        // And the checkpoint undoes the run.
        new CheckpointStore(_w.CheckpointDirectory).Undo(checkpoint);
        Assert.Equal("before\n", File.ReadAllText(_w.P("f.txt")));
    }

    [Fact]
    public void A_read_only_run_takes_no_checkpoint_even_when_approved()
    {
        var host = new ScriptedRunHost(ApprovalAnswer.Yes);
        var run = new CommandRun(_w.Settings(_w.Policy(SandboxMode.ReadOnly, ApprovalPolicy.Untrusted, CheckpointMode.OnApproval)), host);

        var result = run.Run(RunWorld.Argv("true"), CancellationToken.None);

        Assert.Null(result!.CheckpointId);
        Assert.Empty(host.Progress);
        Assert.DoesNotContain(_w.Audit(), r => r.EventType == AuditEventType.CheckpointCreated);
    }

    [Fact]
    public void Streamed_lines_reach_the_host_on_the_calling_thread_before_the_result()
    {
        var host = new ScriptedRunHost();
        var run = new CommandRun(_w.Settings(_w.Policy(SandboxMode.ReadOnly, ApprovalPolicy.Never)) with { Stream = true }, host);

        var result = run.Run(RunWorld.Line("echo a; echo b >&2; echo c"), CancellationToken.None);

        Assert.Equal(["a", "c"], host.OutputLines);
        Assert.Equal(["b"], host.ErrorLines);
        Assert.Equal("a\nc\n", result!.Stdout);
        Assert.Equal([System.Environment.CurrentManagedThreadId], host.CallingThreads);
    }

    [Fact]
    public void A_plan_that_is_not_confirmed_runs_nothing_and_records_nothing()
    {
        var host = new ScriptedRunHost { ConfirmPlanAnswer = false };
        var run = new CommandRun(_w.Settings(_w.Policy(SandboxMode.WorkspaceWrite, ApprovalPolicy.Untrusted)), host);

        Assert.Null(run.Run(RunWorld.Argv("touch", "made"), CancellationToken.None));

        Assert.Single(host.Plans);
        Assert.Empty(host.Questions);
        Assert.Empty(host.Results);
        Assert.False(File.Exists(_w.P("made")));
        Assert.Empty(_w.Audit());
    }

    [Fact]
    public void An_unavailable_sandbox_is_recorded_and_thrown()
    {
        var settings = _w.Settings(_w.Policy(SandboxMode.WorkspaceWrite, ApprovalPolicy.Never)) with
        {
            DetectHost = () => throw new SandboxUnavailableException("no sandbox here", "install one"),
        };

        var e = Assert.Throws<SandboxUnavailableException>(() => new CommandRun(settings, new ScriptedRunHost()).Run(RunWorld.Argv("true"), CancellationToken.None));

        Assert.Equal("install one", e.Remedy);
        var record = Assert.Single(_w.Audit());
        Assert.Equal(AuditEventType.SandboxUnavailable, record.EventType);
        Assert.Equal("no sandbox here", record.Reason);
    }

    [Fact]
    public void A_required_audit_log_that_cannot_be_written_stops_the_run_before_it_starts()
    {
        var blocker = _w.P("not-a-folder");
        File.WriteAllText(blocker, "a file where the log folder should be");
        var audit = new AuditSettings { Path = Path.Combine(blocker, "log", AuditLog.DefaultFileName), Required = true };
        var host = new ScriptedRunHost();
        var run = new CommandRun(_w.Settings(_w.Policy(SandboxMode.WorkspaceWrite, ApprovalPolicy.Never, audit: audit)), host);

        var e = Assert.Throws<AuditUnavailableException>(() => run.Run(RunWorld.Argv("touch", "made"), CancellationToken.None));

        Assert.Equal(audit.Path, e.Path);
        Assert.False(File.Exists(_w.P("made")));
        Assert.Empty(host.Results);
    }

    [Fact]
    public void An_audit_log_that_is_not_required_only_warns()
    {
        var blocker = _w.P("not-a-folder");
        File.WriteAllText(blocker, "x");
        var audit = new AuditSettings { Path = Path.Combine(blocker, "log", AuditLog.DefaultFileName) };
        var host = new ScriptedRunHost();
        var run = new CommandRun(_w.Settings(_w.Policy(SandboxMode.WorkspaceWrite, ApprovalPolicy.Never, audit: audit)), host);

        var result = run.Run(RunWorld.Argv("true"), CancellationToken.None);

        Assert.Equal(0, result!.ExitCode);
        Assert.Null(result.AuditId);
        Assert.Contains(host.Warnings, w => w.Contains("could not be written", StringComparison.Ordinal));
    }
}
