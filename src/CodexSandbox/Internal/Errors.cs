using System.Management.Automation;
using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Policy;

namespace CodexSandbox.Internal;

/// <summary>The one place where engine exceptions become ErrorRecords with stable ids, categories and remedies.</summary>
internal static class Errors
{
    public const string ConfigParseError = nameof(ConfigParseError);
    public const string ConfigValueError = nameof(ConfigValueError);
    public const string ConfigNotFound = nameof(ConfigNotFound);
    public const string ProfileNotFound = nameof(ProfileNotFound);
    public const string WorkingDirectoryNotFound = nameof(WorkingDirectoryNotFound);

    /// <summary>Maps an engine exception to a record, or returns null for exceptions that are bugs and should surface as they are.</summary>
    public static ErrorRecord? FromException(Exception e, object? target) => e switch
    {
        ConfigException c when c.IsSyntaxError => Record(c, ConfigParseError, ErrorCategory.ParserError, c.Errors[0].Path,
            "Fix the TOML syntax at the line and column shown; Test-SandboxConfig lists every problem."),
        ConfigException c => Record(c, ConfigValueError, ErrorCategory.InvalidData, c.Errors[0].Path,
            "Correct the value named in the message; Test-SandboxConfig lists every problem."),
        FileNotFoundException f => Record(f, ConfigNotFound, ErrorCategory.ObjectNotFound, f.FileName ?? target,
            "Give -ConfigPath an existing config.toml, or omit it."),
        ProfileNotFoundException p => Record(p, ProfileNotFound, ErrorCategory.ObjectNotFound, p.Profile,
            "Pick one of the defined profiles (tab completion lists them), or define [profiles.<name>] in config.toml."),
        _ => null,
    };

    public static ErrorRecord WorkingDirectoryMissing(string path) => Record(
        new DirectoryNotFoundException($"The working directory '{path}' does not exist."),
        WorkingDirectoryNotFound, ErrorCategory.ObjectNotFound, path, "Give -WorkingDirectory an existing folder.");

    public static ErrorRecord Record(Exception e, string id, ErrorCategory category, object? target, string? remedy = null)
    {
        var record = new ErrorRecord(e, id, category, target);
        if (remedy is not null) record.ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = remedy };
        return record;
    }
}
