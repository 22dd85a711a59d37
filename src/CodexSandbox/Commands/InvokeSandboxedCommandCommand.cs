using System.Collections;
using System.Collections.Concurrent;
using System.Management.Automation;
using CodexSandbox.Engine.Backends;
using CodexSandbox.Engine.Backends.Linux;
using CodexSandbox.Engine.Execution;
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

    private readonly CancellationTokenSource _stop = new();
    private SandboxPolicy? _policy;

    /// <summary>The program to run; found on the sandbox's PATH.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ArgvSet)]
    [ValidateNotNullOrEmpty]
    public string FilePath { get; set; } = "";

    /// <summary>Its arguments, passed as they are (no shell).</summary>
    [Parameter(Position = 1, ParameterSetName = ArgvSet, ValueFromRemainingArguments = true)]
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

    /// <summary>Write output lines as they arrive (stdout as strings, stderr as information records), then the result.</summary>
    [Parameter]
    public SwitchParameter Stream { get; set; }

    protected override void BeginProcessing() => _policy = ResolvePolicy();

    protected override void ProcessRecord()
    {
        var (argv, display) = BuildArgv();
        var request = new RunRequest
        {
            Policy = _policy!,
            Argv = argv,
            CommandLine = display,
            Timeout = TimeoutSec > 0 ? TimeSpan.FromSeconds(TimeoutSec) : null,
            ExtraEnvironment = ExtraEnvironment(),
        };
        var host = LinuxHost.Detect(LinuxHost.FindLauncher(ModuleBase));

        LinuxLaunch launch;
        try
        {
            launch = SandboxExecutor.Plan(request, host);
        }
        catch (Exception e) when (MapRunError(e, display) is { } record)
        {
            WriteError(record);
            return;
        }
        if (!ShouldProcess(DescribePlan(display, launch), $"Run '{display}' in the sandbox?", "Invoke-SandboxedCommand")) return;
        Run(request, host, display);
    }

    protected override void StopProcessing() => _stop.Cancel();

    private void Run(RunRequest request, LinuxHost host, string display)
    {
        SandboxResult result;
        try
        {
            result = Stream ? RunStreaming(request, host) : SandboxExecutor.Run(request, host, null, _stop.Token);
        }
        catch (Exception e) when (MapRunError(e, display) is { } record)
        {
            // Scripts that test $LASTEXITCODE see what a shell would report for a missing program.
            if (e is ProgramNotFoundException) SessionState.PSVariable.Set("global:LASTEXITCODE", 127);
            WriteError(record);
            return;
        }
        SessionState.PSVariable.Set("global:LASTEXITCODE", result.ExitCode);
        if (_stop.IsCancellationRequested) return;
        WriteObject(result);
    }

    // The runner reports lines from its reader threads; only the pipeline thread may write, so lines are queued.
    private SandboxResult RunStreaming(RunRequest request, LinuxHost host)
    {
        using var lines = new BlockingCollection<OutputLine>();
        var task = Task.Run(() =>
        {
            try { return SandboxExecutor.Run(request, host, lines.Add, _stop.Token); }
            finally { lines.CompleteAdding(); }
        });
        foreach (var line in lines.GetConsumingEnumerable())
        {
            if (line.IsError) WriteInformation(new HostInformationMessage { Message = line.Text, NoNewLine = false }, ["PSHOST", "stderr"]);
            else WriteObject(line.Text);
        }
        return task.GetAwaiter().GetResult();
    }

    private (IReadOnlyList<string> Argv, string Display) BuildArgv()
    {
        switch (ParameterSetName)
        {
            case CommandLineSet:
                return (["/bin/sh", "-c", Command], Command);
            case ScriptBlockSet:
                var script = ScriptBlock!.ToString().Trim();
                return ([.. PwshCommand(), "-NoProfile", "-NonInteractive", "-Command", script], script);
            default:
                var argv = new List<string> { FilePath };
                argv.AddRange(ArgumentList);
                return (argv, string.Join(' ', argv.Select(QuoteForDisplay)));
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

    private static string QuoteForDisplay(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_./=:,+@%".Contains(c)) ? arg : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string DescribePlan(string display, LinuxLaunch launch)
    {
        var lines = new List<string>
        {
            $"Run '{display}' with backend {launch.Backend}.",
            $"  argv: {string.Join(' ', new[] { launch.Program }.Concat(launch.Arguments).Select(QuoteForDisplay))}",
        };
        if (launch.Enforced.Count > 0) lines.Add("  enforced: " + string.Join("; ", launch.Enforced));
        if (launch.NotEnforced.Count > 0) lines.Add("  not enforced: " + string.Join("; ", launch.NotEnforced));
        return string.Join(System.Environment.NewLine, lines);
    }

    private string ModuleBase => Path.GetDirectoryName(typeof(InvokeSandboxedCommandCommand).Assembly.Location)!;

    private static ErrorRecord? MapRunError(Exception e, string target) => e switch
    {
        SandboxUnavailableException s => Errors.Record(s, "SandboxUnavailable", ErrorCategory.ResourceUnavailable, target, s.Remedy),
        ProgramNotFoundException c => Errors.Record(c, "CommandNotFound", ErrorCategory.ObjectNotFound, c.Program,
            "Check the spelling, or give the full path; the sandbox's PATH is the policy's (Get-SandboxPolicy shows it)."),
        ArgumentException a => Errors.Record(a, "InvalidCommandArgument", ErrorCategory.InvalidArgument, target),
        System.ComponentModel.Win32Exception w when w.NativeErrorCode == 7 => Errors.Record(w, "ArgumentListTooLong", ErrorCategory.LimitsExceeded, target,
            "The argument list exceeds the kernel's limit (E2BIG); pass data through a file instead."),
        System.ComponentModel.Win32Exception w => Errors.Record(w, "StartFailed", ErrorCategory.OpenError, target),
        _ => null,
    };
}
