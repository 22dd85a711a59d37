using System.Management.Automation;
using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Configuration.Requirements;
using CodexSandbox.Engine.Export;
using CodexSandbox.Engine.Rules;
using CodexSandbox.Internal;

namespace CodexSandbox.Commands;

/// <summary>Checks config files and reports every problem with its file, line and column.</summary>
[Cmdlet(VerbsDiagnostic.Test, "SandboxConfig", DefaultParameterSetName = InEffectSet)]
[OutputType(typeof(ConfigDiagnostic))]
[OutputType(typeof(bool))]
public sealed class TestSandboxConfigCommand : PSCmdlet
{
    private const string InEffectSet = "InEffect";
    private const string PathSet = "Path";

    private bool _anyError;

    /// <summary>Files to check. Without it, the layers in effect for the working directory are checked.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    [Parameter(ParameterSetName = InEffectSet)]
    [ValidateNotNullOrEmpty]
    public string? ConfigPath { get; set; }

    [Parameter(ParameterSetName = InEffectSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completers.DirectoryCompleter))]
    public string? WorkingDirectory { get; set; }

    /// <summary>Also check the profile's file, <c>$CODEX_HOME/&lt;name&gt;.config.toml</c>, as a run with -Profile would load it.</summary>
    [Parameter(ParameterSetName = InEffectSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completers.ProfileNameCompleter))]
    public string? Profile { get; set; }

    /// <summary>Return only $true (no errors) or $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName != PathSet) return;
        foreach (var p in Path)
        {
            var full = GetUnresolvedProviderPathFromPSPath(p);
            if (!File.Exists(full))
            {
                _anyError = true;
                WriteError(Errors.Record(new FileNotFoundException($"The config file '{full}' does not exist.", full), Errors.ConfigNotFound, full, "Check the path."));
                continue;
            }
            // A .rules file is checked as exec-policy rules, requirements.toml as the administrator's requirements, anything else as config.toml.
            Emit(full.EndsWith(".rules", StringComparison.OrdinalIgnoreCase) ? RuleSetLoader.Load([], [full]).Diagnostics
                : System.IO.Path.GetFileName(full) == RequirementsReader.FileName ? RequirementsReader.Read(ConfigLoader.Parse(full), HomeDirectory, null).Diagnostics
                : CheckFile(full));
        }
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName == InEffectSet) CheckInEffect();
        if (Quiet) WriteObject(!_anyError);
    }

    private IEnumerable<ConfigDiagnostic> CheckFile(string path)
    {
        var settings = ConfigLoader.Check(path, PolicySource.User, HomeDirectory);
        return settings.Diagnostics
            .Concat(ExportSettings.Check(ConfigLoader.Parse(path), settings, HomeDirectory))
            .Concat(ProfileFiles.LegacyWarnings(path, settings, CodexHome));
    }

    private void CheckInEffect()
    {
        var cwd = WorkingDirectory is null ? SessionState.Path.CurrentFileSystemLocation.ProviderPath : GetUnresolvedProviderPathFromPSPath(WorkingDirectory);
        if (!Directory.Exists(cwd)) ThrowTerminatingError(Errors.WorkingDirectoryMissing(cwd));
        var request = ConfigRequest.FromEnvironment(cwd, ConfigPath is null ? null : GetUnresolvedProviderPathFromPSPath(ConfigPath), Profile);
        LoadedConfig config;
        try
        {
            config = ConfigLoader.Load(request);
        }
        catch (Exception e) when (Errors.FromException(e, cwd) is { } record)
        {
            ThrowTerminatingError(record);
            return;
        }
        // the administrator's requirements first: while they are broken nothing runs
        var found = (config.Requirements?.Diagnostics ?? []).Concat(config.Diagnostics).ToList();
        foreach (var skipped in config.SkippedProjectFiles)
        {
            found.Add(new ConfigDiagnostic(DiagnosticSeverity.Information, "UntrustedProject", skipped, 0, 0, null,
                "Not loaded: the project is not trusted by the system or user config."));
        }
        foreach (var (layer, settings) in config.Layers)
        {
            found.AddRange(ProfileFiles.LegacyWarnings(layer.File.Path, settings, request.CodexHome));
        }
        if (config.Get("profile") is { } profile && Profile is null && config.FindProfile((string)profile.Value) is null && config.ProfileFile is null)
        {
            found.Add(new ConfigDiagnostic(DiagnosticSeverity.Error, "UnknownProfile", profile.File ?? "", profile.Line, 1, "profile",
                $"profile = \"{profile.Value}\" names no [profiles.{profile.Value}] table and no profile file; defined: {string.Join(", ", config.ProfileNames.DefaultIfEmpty("none"))}."));
        }
        if (!found.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            // what only resolution finds: the profile (file or table) exists once, the permission profile compiles
            try
            {
                var policy = Engine.Policy.PolicyResolver.Resolve(config, new Engine.Policy.PolicyOverrides { Profile = Profile }, new Dictionary<string, string>
                {
                    ["HOME"] = HomeDirectory,
                    ["TMPDIR"] = System.Environment.GetEnvironmentVariable("TMPDIR") ?? "",
                });
                // a configured value the requirements disallow falls back at every run: say so here, where it can be fixed
                foreach (var fallback in policy.Warnings.Where(w => w.Contains("disallowed by requirements", StringComparison.Ordinal)))
                {
                    found.Add(new ConfigDiagnostic(DiagnosticSeverity.Warning, "RequirementFallback", policy.RequirementsFile ?? "", 0, 0, null, fallback));
                }
            }
            catch (Engine.Policy.ProfileNotFoundException e)
            {
                found.Add(new ConfigDiagnostic(DiagnosticSeverity.Error, "UnknownProfile", ProfileFiles.PathOf(request.CodexHome, e.Profile), 0, 0, "profile", e.Message));
            }
            catch (ConfigException e)
            {
                found.AddRange(e.Errors);
            }
        }
        found.AddRange(ExportSettings.Read(config).Diagnostics);
        found.AddRange(RuleSetLoader.Load(RuleLayers.Directories(config)).Diagnostics);
        Emit(found);
    }

    private void Emit(IEnumerable<ConfigDiagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            if (d.Severity == DiagnosticSeverity.Error) _anyError = true;
            if (!Quiet) WriteObject(d);
        }
    }

    private static string CodexHome => ConfigRequest.FromEnvironment("/").CodexHome;

    private static string HomeDirectory => System.Environment.GetEnvironmentVariable("HOME") ?? "/";
}
