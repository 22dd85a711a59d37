using System.Collections;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using CodexSandbox.Engine.Approval;
using CodexSandbox.Engine.Execution;
using CodexSandbox.Engine.Run;
using CodexSandbox.Internal;

namespace CodexSandbox.Commands;

/// <summary>Decides, approves and runs one command inside the sandbox.</summary>
/// <remarks>The sequence itself (decide, ask, checkpoint, run, retry, audit) is <see cref="CommandRun"/>; this binds the parameters, hosts it, and maps its errors.</remarks>
[Cmdlet(VerbsLifecycle.Invoke, "SandboxedCommand", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ArgvSet)]
[OutputType(typeof(SandboxResult))]
public sealed class InvokeSandboxedCommandCommand : SandboxCmdletBase
{
    private const string ArgvSet = "Argv";
    private const string CommandLineSet = "CommandLine";
    private const string ScriptBlockSet = "ScriptBlock";

    // "Yes to All" approves the same canonical command for the rest of the session (all invocations) — the runspace's
    // session, so another runspace in the same process (a job, a hosted runspace) is asked again.
    private static readonly ConditionalWeakTable<object, SessionApprovals> s_sessions = new();

    private readonly CancellationTokenSource _stop = new();
    private CommandRun? _run;
    private CmdletRunHost? _host;

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

    /// <summary>Write output lines as they arrive (stdout as strings, stderr as error records that never stop the script), then the result.</summary>
    [Parameter]
    public SwitchParameter Stream { get; set; }

    /// <summary>Give the command the terminal (an interactive shell, a REPL, an installer that asks questions), confined as any
    /// run; its output goes to the terminal and is not captured in the result.</summary>
    [Parameter]
    public SwitchParameter Interactive { get; set; }

    protected override void BeginProcessing()
    {
        if (Interactive && InteractiveConflicts.Find(Stream, MyInvocation.ExpectingInput) is { } conflict) ThrowTerminatingError(conflict);
        var policy = ResolvePolicy();
        var rules = LoadRules(); // a broken rules file stops the run here
        var session = s_sessions.GetValue((object?)System.Management.Automation.Runspaces.Runspace.DefaultRunspace ?? s_sessions, _ => new SessionApprovals());
        _run = new CommandRun(new RunSettings
        {
            Policy = policy,
            Rules = rules,
            Session = session,
            CheckpointDirectory = CheckpointStores.Directory(),
            DetectHost = () => SandboxHost.Detect(ModuleBase),
            Force = Force,
            Checkpoint = Checkpoint,
            Stream = Stream,
            Interactive = Interactive,
            RequestUnsandboxed = RequestUnsandboxed,
            Justification = Justification,
            Timeout = TimeoutSec > 0 ? TimeSpan.FromSeconds(TimeoutSec) : null,
            ExtraEnvironment = EnvironmentParameter.From(Environment),
            Config = Config,
        }, _host = new CmdletRunHost(this, () => _stop.IsCancellationRequested));
    }

    protected override void StopProcessing() => _stop.Cancel();

    protected override void ProcessRecord()
    {
        var command = ParameterSetName switch
        {
            CommandLineSet => CommandsToRun.ShellLine(Command),
            ScriptBlockSet => CommandsToRun.Script(ScriptBlock!),
            _ => CommandsToRun.Program(FilePath, ArgumentList),
        };
        SandboxResult? result;
        try
        {
            result = _run!.Run(command, _stop.Token);
        }
        catch (Exception e) when (Errors.FromRun(e, command.Display) is { } record)
        {
            if (e is ProgramNotFoundException) SessionState.PSVariable.Set("global:LASTEXITCODE", 127);
            // A command that needs an approval this session cannot give never counts as run: the error is terminating,
            // and the front door makes it stop the script (a CI job fails instead of carrying on).
            if (e is ApprovalRequiredException or TerminalUnavailableException) ThrowTerminatingError(record);
            WriteError(record);
            return;
        }
        finally
        {
            _host!.EndErrorLines();
        }
        // As PowerShell does for a native command: a non-zero exit makes $? false, and is an error only when asked for.
        if (result is not { Succeeded: false }) return;
        if (LanguagePrimitives.IsTrue(GetVariableValue("PSNativeCommandUseErrorActionPreference"))) WriteError(Errors.ExitCode(result));
        else ExecutionFailure.Mark(this);
    }

    private static string ModuleBase => Path.GetDirectoryName(typeof(InvokeSandboxedCommandCommand).Assembly.Location)!;
}
