using System.Management.Automation;
using CodexSandbox.Engine.Approval;
using CodexSandbox.Engine.Audit;
using CodexSandbox.Engine.Backends;
using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Execution;
using CodexSandbox.Engine.Policy;
using CodexSandbox.Engine.Rules;

namespace CodexSandbox.Internal;

/// <summary>
/// The error catalogue: every ErrorId the module reports, each with one category and its fix, and the one place
/// where engine exceptions become ErrorRecords. A record is only ever made from a kind defined here.
/// </summary>
internal static class Errors
{
    private const string RulesStop = " No command runs until the rules load; Test-SandboxConfig lists every problem.";
    private const string CallByName = "Or call Invoke-SandboxedCommand -FilePath <program> -ArgumentList <arguments> with its parameters by name.";

    // Configuration and rules.
    public static readonly ErrorKind AuditExportFailed = new(nameof(AuditExportFailed), ErrorCategory.ConnectionError,
        "The records stay in the local log; check that the receiver is up and reachable, then run Sync-SandboxAudit (or the next run sends them). Duplicates are harmless: each record carries its seq and hash.");
    public static readonly ErrorKind InvalidEndpoint = new(nameof(InvalidEndpoint), ErrorCategory.InvalidArgument,
        "Give -Otlp an http:// or https:// URL, or -Syslog as host:port (an IPv6 address as [addr]:port).");
    public static readonly ErrorKind ConfigParseError = new(nameof(ConfigParseError), ErrorCategory.ParserError,
        "Fix the TOML syntax at the line and column shown; Test-SandboxConfig lists every problem.");
    public static readonly ErrorKind ConfigValueError = new(nameof(ConfigValueError), ErrorCategory.InvalidData,
        "Correct the value named in the message; Test-SandboxConfig lists every problem.");
    public static readonly ErrorKind ConfigNotFound = new(nameof(ConfigNotFound), ErrorCategory.ObjectNotFound,
        "Give -ConfigPath an existing config.toml, or omit it.");
    public static readonly ErrorKind ProfileNotFound = new(nameof(ProfileNotFound), ErrorCategory.ObjectNotFound,
        "Pick one of the defined profiles (tab completion lists them), or define [profiles.<name>] in config.toml.");
    public static readonly ErrorKind RequirementsInvalid = new(nameof(RequirementsInvalid), ErrorCategory.InvalidData,
        "The administrator's requirements.toml (in /etc/codex, or %ProgramData%\\OpenAI\\Codex on Windows) cannot be used; nothing runs until it is fixed. Test-SandboxConfig lists every problem with its line.");
    public static readonly ErrorKind RequirementDisallowed = new(nameof(RequirementDisallowed), ErrorCategory.PermissionDenied,
        "Leave the parameter out (the policy then falls back to what the requirements allow), or ask the administrator to change requirements.toml; -Force does not override a requirement.");
    public static readonly ErrorKind WorkingDirectoryNotFound = new(nameof(WorkingDirectoryNotFound), ErrorCategory.ObjectNotFound,
        "Give -WorkingDirectory an existing folder.");
    public static readonly ErrorKind RulesParseError = new(nameof(RulesParseError), ErrorCategory.ParserError,
        "Fix the Starlark syntax at the line and column shown, or move the file out of the rules folder." + RulesStop);
    public static readonly ErrorKind RulesExampleFailed = new(nameof(RulesExampleFailed), ErrorCategory.InvalidData,
        "The prefix_rule's match/not_match examples disagree with its pattern: correct the pattern or the example." + RulesStop);
    public static readonly ErrorKind RulesReadError = new(nameof(RulesReadError), ErrorCategory.ReadError,
        "Make the file readable by this user, or remove it." + RulesStop);
    public static readonly ErrorKind RulesInvalid = new(nameof(RulesInvalid), ErrorCategory.InvalidData,
        "Correct the rule named in the message (prefix_rule, host_executable or network_rule arguments)." + RulesStop);
    public static readonly ErrorKind RulesNotFound = new(nameof(RulesNotFound), ErrorCategory.ObjectNotFound, "Check -RulesPath.");

    // Deciding and running a command.
    public static readonly ErrorKind CommandRejected = new(nameof(CommandRejected), ErrorCategory.PermissionDenied,
        "Change the command, or the approval_policy / sandbox_mode that forbids it.");
    public static readonly ErrorKind ApprovalRequired = new(nameof(ApprovalRequired), ErrorCategory.PermissionDenied,
        "Add -Force to approve it, or change approval_policy (for example -ApprovalPolicy Never rejects instead of asking); in CI decide ahead of time with -Force, approval_policy = \"never\" or a -Profile that sets them.");
    public static readonly ErrorKind ApprovalDenied = new(nameof(ApprovalDenied), ErrorCategory.OperationStopped,
        "Run it again and answer Yes to run it, or add -Force to approve it without asking.");
    public static readonly ErrorKind SandboxUnavailable = new(nameof(SandboxUnavailable), ErrorCategory.ResourceUnavailable,
        "Get-SandboxCapability shows what this machine can enforce; nothing runs until the sandbox can be built.");
    public static readonly ErrorKind AuditLogUnavailable = new(nameof(AuditLogUnavailable), ErrorCategory.WriteError,
        "Make the audit log folder writable, point [sandbox_audit] path elsewhere, or set required = false.");
    public static readonly ErrorKind CommandNotFound = new(nameof(CommandNotFound), ErrorCategory.ObjectNotFound,
        "Check the spelling, or give the full path; the sandbox's PATH is the policy's (Get-SandboxPolicy shows it).");
    public static readonly ErrorKind InvalidCommandArgument = new(nameof(InvalidCommandArgument), ErrorCategory.InvalidArgument,
        "Correct the argument named in the message; no program can receive a NUL character.");
    public static readonly ErrorKind ArgumentListTooLong = new(nameof(ArgumentListTooLong), ErrorCategory.LimitsExceeded,
        "The argument list exceeds the kernel's limit (E2BIG); pass data through a file instead.");
    public static readonly ErrorKind TerminalUnavailable = new(nameof(TerminalUnavailable), ErrorCategory.ResourceUnavailable,
        "Run it without -Interactive: its output is then captured in the result (add -Stream to see it as it comes), and its stdin reads end-of-file.");
    public static readonly ErrorKind InteractiveConflict = new(nameof(InteractiveConflict), ErrorCategory.InvalidArgument,
        "Use -Interactive alone for one command that needs the terminal; -Stream and piped command lines are for runs whose output is captured.");
    public static readonly ErrorKind StartFailed = new(nameof(StartFailed), ErrorCategory.OpenError,
        "Check that the program is executable by this user and that its interpreter exists; Get-SandboxCapability shows the sandbox launcher's state.");

    // What the command itself reports, as a native command's would be. A stderr line has PowerShell's own id for a native
    // command's stderr, so the error view shows (and 2>file writes) the bare line, as it does for a native command.
    public static readonly ErrorKind NativeCommandErrorMessage = new(nameof(NativeCommandErrorMessage), ErrorCategory.FromStdErr,
        "This is a line the command wrote to stderr (with -Stream); it never stops the script: redirect it with 2>$null, 2>&1 or 2>file as for a native command.");
    public static readonly ErrorKind NativeCommandExitCode = new(nameof(NativeCommandExitCode), ErrorCategory.InvalidResult,
        "The command failed with the exit code shown; its output is in the result. Set $PSNativeCommandUseErrorActionPreference = $false to judge $LASTEXITCODE yourself.");

    // The argv front door (Invoke-SandboxedCommand <program> <arguments>); each refusal also names its own fix.
    public static readonly ErrorKind ParameterNotSpelledInFull = new(nameof(ParameterNotSpelledInFull), ErrorCategory.InvalidArgument,
        "Spell the parameter in full. " + CallByName);
    public static readonly ErrorKind NotAParameter = new(nameof(NotAParameter), ErrorCategory.InvalidArgument,
        "Put the program first; every word after it is the program's. " + CallByName);
    public static readonly ErrorKind MissingParameterValue = new(nameof(MissingParameterValue), ErrorCategory.InvalidArgument,
        "Give the parameter its value before the program; quote a value that starts with '-'.");
    public static readonly ErrorKind DuplicateParameter = new(nameof(DuplicateParameter), ErrorCategory.InvalidArgument,
        "Give each parameter once, before the program.");
    public static readonly ErrorKind ConflictingCommand = new(nameof(ConflictingCommand), ErrorCategory.InvalidArgument,
        "Give one command only: a program with its arguments, -FilePath, -Command or -ScriptBlock.");
    public static readonly ErrorKind NoCommand = new(nameof(NoCommand), ErrorCategory.InvalidArgument,
        "Write the program and its arguments after the parameters, or give -Command '<shell line>' or -ScriptBlock { ... }.");
    public static readonly ErrorKind ListArgument = new(nameof(ListArgument), ErrorCategory.InvalidArgument,
        "Quote the word that PowerShell made a list of. " + CallByName);
    public static readonly ErrorKind CallNotMatched = new(nameof(CallNotMatched), ErrorCategory.InvalidArgument,
        "Call it without splatting. " + CallByName);
    public static readonly ErrorKind StopParsingNotSupported = new(nameof(StopParsingNotSupported), ErrorCategory.InvalidArgument,
        "Quote the arguments instead, or run the line with -Command '<shell line>'.");

    // The audit log and checkpoints.
    public static readonly ErrorKind AuditLogUnreadable = new(nameof(AuditLogUnreadable), ErrorCategory.ReadError,
        "Check the path and its permissions.");
    public static readonly ErrorKind CheckpointNotFound = new(nameof(CheckpointNotFound), ErrorCategory.ObjectNotFound,
        "Get-SandboxCheckpoint lists the checkpoints; take one with Invoke-SandboxedCommand -Checkpoint.");
    public static readonly ErrorKind UndoFailed = new(nameof(UndoFailed), ErrorCategory.InvalidOperation,
        "Fix the cause named in the message (permissions, free space) and run Undo-SandboxChange again; the checkpoint is kept.");

    /// <summary>A record of <paramref name="kind"/>, with its category and its fix (<paramref name="remedy"/> when the case has a more specific one).</summary>
    public static ErrorRecord Record(Exception e, ErrorKind kind, object? target, string? remedy = null) =>
        new(e, kind.Id, kind.Category, target) { ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = remedy ?? kind.Remedy } };

    /// <summary>Maps a config or rules exception to a record, or returns null for exceptions that are bugs and should surface as they are.</summary>
    public static ErrorRecord? FromException(Exception e, object? target) => e switch
    {
        ConfigException c when c.IsSyntaxError => Record(c, ConfigParseError, c.Errors[0].Path),
        ConfigException c => Record(c, ConfigValueError, c.Errors[0].Path),
        Engine.Configuration.Requirements.RequirementsException q => Record(q, RequirementsInvalid, q.Errors[0].Path),
        Engine.Configuration.Requirements.RequirementViolationException v => Record(v, RequirementDisallowed, v.Parameter),
        FileNotFoundException f => Record(f, ConfigNotFound, f.FileName ?? target),
        ProfileNotFoundException p => Record(p, ProfileNotFound, p.Profile),
        // A broken .rules file stops every run (fail closed): the record names the file, line and column, and the fix.
        RulesLoadException r => Record(r, r.Kind switch
        {
            "SyntaxError" => RulesParseError,
            "ExampleFailed" => RulesExampleFailed,
            "ReadError" => RulesReadError,
            _ => RulesInvalid,
        }, r.Errors[0].Path),
        _ => null,
    };

    /// <summary>Maps what a run throws (a refusal, an unavailable sandbox or audit log, a start failure) to a record; null for anything else.</summary>
    public static ErrorRecord? FromRun(Exception e, string command) => e switch
    {
        CommandRejectedException r => Record(r, CommandRejected, command,
            r.ByRule ? "A forbidden exec-policy rule matched; -Force cannot override it." : null),
        ApprovalRequiredException a => Record(a, ApprovalRequired, command),
        ApprovalDeniedException d => Record(d, ApprovalDenied, command),
        SandboxUnavailableException s => Record(s, SandboxUnavailable, command, s.Remedy),
        AuditUnavailableException a => Record(a, AuditLogUnavailable, a.Path),
        ProgramNotFoundException c when c.Program == "sh" && OperatingSystem.IsWindows() => Record(c, CommandNotFound, c.Program,
            "On Windows a -Command line needs a POSIX sh on the policy's PATH (Git for Windows installs one); or use -ScriptBlock, or a program with -ArgumentList."),
        ProgramNotFoundException c => Record(c, CommandNotFound, c.Program),
        TerminalUnavailableException t => Record(t, TerminalUnavailable, command, t.Remedy),
        ArgumentException a => Record(a, InvalidCommandArgument, command),
        System.ComponentModel.Win32Exception w when w.NativeErrorCode == 7 => Record(w, ArgumentListTooLong, command),
        System.ComponentModel.Win32Exception w => Record(w, StartFailed, command),
        _ => null,
    };

    /// <summary>A line of the command's stderr, as an error record that only reports it (Invoke-SandboxedCommand -Stream).</summary>
    public static ErrorRecord StderrLine(string line) => new(new RemoteException(line), NativeCommandErrorMessage.Id, NativeCommandErrorMessage.Category, null);

    /// <summary>The failure of a command that exited non-zero, under $PSNativeCommandUseErrorActionPreference.</summary>
    public static ErrorRecord ExitCode(SandboxResult result)
    {
        var how = result.TimedOut ? "timed out" : $"exited with code {result.ExitCode}";
        return Record(new SandboxedCommandExitException($"'{result.CommandLine}' {how}.", result.ExitCode), NativeCommandExitCode, result);
    }

    public static ErrorRecord WorkingDirectoryMissing(string path) =>
        Record(new DirectoryNotFoundException($"The working directory '{path}' does not exist."), WorkingDirectoryNotFound, path);
}
