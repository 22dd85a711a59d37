using System.Management.Automation;
using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Policy;
using CodexSandbox.Engine.Rules;

namespace CodexSandbox.Internal;

/// <summary>The one place where engine exceptions become ErrorRecords with stable ids, categories and remedies.</summary>
internal static class Errors
{
    public const string ConfigParseError = nameof(ConfigParseError);
    public const string ConfigValueError = nameof(ConfigValueError);
    public const string ConfigNotFound = nameof(ConfigNotFound);
    public const string ProfileNotFound = nameof(ProfileNotFound);
    public const string WorkingDirectoryNotFound = nameof(WorkingDirectoryNotFound);
    public const string RulesParseError = nameof(RulesParseError);
    public const string RulesInvalid = nameof(RulesInvalid);
    public const string RulesExampleFailed = nameof(RulesExampleFailed);
    public const string RulesReadError = nameof(RulesReadError);

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
        RulesLoadException r => FromRules(r),
        _ => null,
    };

    // A broken .rules file stops every run (fail closed): the record names the file, line and column, and the fix.
    private static ErrorRecord FromRules(RulesLoadException r)
    {
        const string after = " No command runs until the rules load; Test-SandboxConfig lists every problem.";
        var path = r.Errors[0].Path;
        return r.Kind switch
        {
            "SyntaxError" => Record(r, RulesParseError, ErrorCategory.ParserError, path,
                "Fix the Starlark syntax at the line and column shown, or move the file out of the rules folder." + after),
            "ExampleFailed" => Record(r, RulesExampleFailed, ErrorCategory.InvalidData, path,
                "The prefix_rule's match/not_match examples disagree with its pattern: correct the pattern or the example." + after),
            "ReadError" => Record(r, RulesReadError, ErrorCategory.ReadError, path,
                "Make the file readable by this user, or remove it." + after),
            _ => Record(r, RulesInvalid, ErrorCategory.InvalidData, path,
                "Correct the rule named in the message (prefix_rule, host_executable or network_rule arguments)." + after),
        };
    }

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
