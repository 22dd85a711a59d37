using System.Collections;
using System.Management.Automation;
using CodexSandbox.Completers;
using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Policy;
using CodexSandbox.Engine.Rules;
using CodexSandbox.Internal;

namespace CodexSandbox.Commands;

/// <summary>The parameters shared by every cmdlet that resolves a policy, and the resolution itself.</summary>
public abstract class SandboxCmdletBase : PSCmdlet
{
    /// <summary>Overrides sandbox_mode. Accepts ReadOnly, WorkspaceWrite, DangerFullAccess or the config spellings read-only etc.</summary>
    [Parameter]
    [ConfigSpelling(typeof(SandboxMode))]
    public SandboxMode SandboxMode { get; set; }

    [Parameter]
    [ConfigSpelling(typeof(ApprovalPolicy))]
    public ApprovalPolicy ApprovalPolicy { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DirectoryCompleter))]
    public string[] WritableRoot { get; set; } = [];

    [Parameter]
    public SwitchParameter NetworkAccess { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public string? Profile { get; set; }

    /// <summary>The permission profile to apply, as <c>default_permissions</c> would: a built-in (<c>:workspace</c>) or a <c>[permissions.&lt;id&gt;]</c> table.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PermissionsProfileCompleter))]
    public string? Permissions { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ConfigPath { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DirectoryCompleter))]
    public string? WorkingDirectory { get; set; }

    /// <summary>The working directory as a full path: -WorkingDirectory resolved against the current location.</summary>
    protected string ResolveWorkingDirectory()
    {
        var path = WorkingDirectory is null ? CurrentFolder() : ProviderPath(WorkingDirectory);
        if (!Directory.Exists(path)) ThrowTerminatingError(Errors.WorkingDirectoryMissing(path));
        return path;
    }

    // The current location when it is a folder (the usual case, and about ten times cheaper to ask for), else the
    // file system location PowerShell keeps beside it (Set-Location Env: leaves that one where it was).
    private string CurrentFolder()
    {
        var location = SessionState.Path.CurrentLocation;
        // A file system drive's root and current location are its provider path, without the globber's resolution.
        return location.Provider.ImplementingType == typeof(Microsoft.PowerShell.Commands.FileSystemProvider) && location.Drive is { } drive
            && Path.IsPathFullyQualified(drive.Root)
            ? Path.Combine(drive.Root, drive.CurrentLocation)
            : SessionState.Path.CurrentFileSystemLocation.ProviderPath;
    }

    protected string? ResolvedConfigPath => ConfigPath is null ? null : ProviderPath(ConfigPath);

    /// <summary>A path parameter as a file system path. A fully qualified one with no PowerShell syntax in it (no
    /// drive name, <c>~</c> or <c>::</c>) is that path already, and skips the provider's resolution, which cost
    /// more than a tenth of a millisecond per call.</summary>
    protected string ProviderPath(string path) =>
        !OperatingSystem.IsWindows() && path.StartsWith('/') && !path.Contains('\\') && !path.Contains("::", StringComparison.Ordinal)
            ? path
            : GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>The layers in effect; a config error terminates the invocation.</summary>
    protected LoadedConfig LoadConfig()
    {
        var request = ConfigRequest.FromEnvironment(ResolveWorkingDirectory(), ResolvedConfigPath, Profile);
        try
        {
            return ConfigLoader.Load(request);
        }
        catch (Exception e) when (Errors.FromException(e, request.WorkingDirectory) is { } record)
        {
            ThrowTerminatingError(record);
            throw; // unreachable: ThrowTerminatingError always throws
        }
    }

    /// <summary>The config layers the last <see cref="ResolvePolicy"/> used (for the rules of the same layers).</summary>
    internal LoadedConfig? Config { get; private set; }

    /// <summary>The effective policy; config errors terminate the invocation, warnings are written.</summary>
    protected SandboxPolicy ResolvePolicy()
    {
        var config = Config = LoadConfig();
        foreach (var warning in config.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning))
        {
            WriteWarning(warning.ToString());
        }
        var overrides = new PolicyOverrides
        {
            SandboxMode = MyInvocation.BoundParameters.ContainsKey(nameof(SandboxMode)) ? SandboxMode : null,
            ApprovalPolicy = MyInvocation.BoundParameters.ContainsKey(nameof(ApprovalPolicy)) ? ApprovalPolicy : null,
            WritableRoots = WritableRoot.Select(ProviderPath).ToList(),
            NetworkAccess = MyInvocation.BoundParameters.ContainsKey(nameof(NetworkAccess)) ? NetworkAccess.IsPresent : null,
            Profile = Profile,
            Permissions = Permissions,
        };
        try
        {
            var policy = PolicyResolver.Resolve(config, overrides, ProcessEnvironment());
            foreach (var warning in policy.Warnings) WriteWarning(warning);
            return policy;
        }
        catch (Exception e) when (Errors.FromException(e, config.Request.WorkingDirectory) is { } record)
        {
            ThrowTerminatingError(record);
            throw;
        }
    }

    /// <summary>
    /// The exec-policy rules of the layers <see cref="ResolvePolicy"/> used, then <paramref name="extraFiles"/>. A file that
    /// cannot be used terminates the invocation (fail closed): deciding without it could allow what it forbids.
    /// </summary>
    protected RuleSet LoadRules(IReadOnlyList<string>? extraFiles = null)
    {
        var loaded = RuleSetLoader.Load(RuleLayers.Directories(Config!), extraFiles, Config!.Requirements?.PrefixRules);
        foreach (var warning in loaded.Diagnostics.Where(d => d.Severity != DiagnosticSeverity.Error)) WriteWarning(warning.ToString());
        try
        {
            return loaded.GetRules();
        }
        catch (RulesLoadException e) when (Errors.FromException(e, null) is { } record)
        {
            ThrowTerminatingError(record);
            throw;
        }
    }

    protected static IReadOnlyDictionary<string, string> ProcessEnvironment()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string k && entry.Value is string v) result[k] = v;
        }
        return result;
    }
}
