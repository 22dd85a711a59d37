using System.Text.Json;

namespace CodexSandbox.Engine.Audit;

/// <summary>The JSON field names of a record line, and the spelling of enum values in it.</summary>
internal static class AuditFields
{
    public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    public static readonly JsonEncodedText Seq = JsonEncodedText.Encode("seq");
    public static readonly JsonEncodedText Time = JsonEncodedText.Encode("time");
    public static readonly JsonEncodedText EventType = JsonEncodedText.Encode("eventType");
    public static readonly JsonEncodedText Decision = JsonEncodedText.Encode("decision");
    public static readonly JsonEncodedText DecisionSource = JsonEncodedText.Encode("decisionSource");
    public static readonly JsonEncodedText Command = JsonEncodedText.Encode("command");
    public static readonly JsonEncodedText Argv = JsonEncodedText.Encode("argv");
    public static readonly JsonEncodedText WorkingDirectory = JsonEncodedText.Encode("workingDirectory");
    public static readonly JsonEncodedText SandboxMode = JsonEncodedText.Encode("sandboxMode");
    public static readonly JsonEncodedText NetworkAccess = JsonEncodedText.Encode("networkAccess");
    public static readonly JsonEncodedText WritableRoots = JsonEncodedText.Encode("writableRoots");
    public static readonly JsonEncodedText Backend = JsonEncodedText.Encode("backend");
    public static readonly JsonEncodedText Enforcement = JsonEncodedText.Encode("enforcement");
    public static readonly JsonEncodedText ExitCode = JsonEncodedText.Encode("exitCode");
    public static readonly JsonEncodedText DurationMs = JsonEncodedText.Encode("durationMs");
    public static readonly JsonEncodedText TimedOut = JsonEncodedText.Encode("timedOut");
    public static readonly JsonEncodedText StdoutBytes = JsonEncodedText.Encode("stdoutBytes");
    public static readonly JsonEncodedText StderrBytes = JsonEncodedText.Encode("stderrBytes");
    public static readonly JsonEncodedText Stdout = JsonEncodedText.Encode("stdout");
    public static readonly JsonEncodedText Stderr = JsonEncodedText.Encode("stderr");
    public static readonly JsonEncodedText Reason = JsonEncodedText.Encode("reason");
    public static readonly JsonEncodedText Rule = JsonEncodedText.Encode("rule");
    public static readonly JsonEncodedText RelatedId = JsonEncodedText.Encode("relatedId");
    public static readonly JsonEncodedText User = JsonEncodedText.Encode("user");
    public static readonly JsonEncodedText Host = JsonEncodedText.Encode("host");
    public static readonly JsonEncodedText Pid = JsonEncodedText.Encode("pid");
    public static readonly JsonEncodedText ModuleVersion = JsonEncodedText.Encode("moduleVersion");
    public static readonly JsonEncodedText Environment = JsonEncodedText.Encode("environment");
    public static readonly JsonEncodedText Details = JsonEncodedText.Encode("details");
    public static readonly JsonEncodedText Prev = JsonEncodedText.Encode("prev");
    public static readonly JsonEncodedText Hash = JsonEncodedText.Encode("hash");

    private static readonly string[] EventNames = Enum.GetNames<AuditEventType>();
    private static readonly string[] ModeNames = Enum.GetNames<CodexSandbox.SandboxMode>();
    private static readonly string[] NetworkNames = Enum.GetNames<NetworkMode>();

    // Enum.ToString allocates and reflects; these are hot in Append.
    public static string EventName(AuditEventType value) => (uint)value < EventNames.Length ? EventNames[(int)value] : value.ToString();
    public static string ModeName(CodexSandbox.SandboxMode value) => (uint)value < ModeNames.Length ? ModeNames[(int)value] : value.ToString();
    public static string NetworkName(NetworkMode value) => (uint)value < NetworkNames.Length ? NetworkNames[(int)value] : value.ToString();
}
