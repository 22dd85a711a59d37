using System.Collections.Concurrent;
using CodexSandbox.Engine.Execution;
using CodexSandbox.LauncherContract;

namespace CodexSandbox.Engine.Backends.Linux;

/// <summary>
/// What the launcher itself can apply on this machine, from its <c>--probe</c> record (<see cref="ProbeKey"/>): the
/// Landlock ABI and seccomp as the launcher sees them, which inside a container can differ from what the engine's
/// own process sees. Run once per launcher path per session.
/// </summary>
internal sealed record LauncherProbe
{
    private static readonly ConcurrentDictionary<string, Lazy<LauncherProbe>> s_cache = new(StringComparer.Ordinal);

    public int LandlockAbi { get; init; }
    public bool Seccomp { get; init; }
    /// <summary>The launcher already runs under a seccomp filter (a container's); its own stacks on top.</summary>
    public bool UnderSeccompFilter { get; init; }
    /// <summary>Landlock and seccomp can both be applied.</summary>
    public bool Enforceable { get; init; }
    public string? Architecture { get; init; }
    /// <summary>Why the probe gave no record; null when it did.</summary>
    public string? Problem { get; init; }

    /// <summary>The probe of the launcher at <paramref name="launcherPath"/>, run on first use.</summary>
    public static LauncherProbe For(string launcherPath) =>
        s_cache.GetOrAdd(launcherPath, path => new Lazy<LauncherProbe>(() => Run(path))).Value;

    /// <summary>The probe in <paramref name="text"/>; null when it holds no record.</summary>
    public static LauncherProbe? Parse(string? text)
    {
        if (LauncherRecord.Parse(text) is not { } record) return null;
        return new LauncherProbe
        {
            LandlockAbi = (int)record.Number(ProbeKey.LandlockAbi),
            Seccomp = record.Flag(ProbeKey.Seccomp),
            UnderSeccompFilter = record.Number(ProbeKey.SeccompMode) == 2,
            Enforceable = record.Flag(ProbeKey.Enforceable),
            Architecture = record.Text(ProbeKey.Architecture),
        };
    }

    private static LauncherProbe Run(string launcherPath)
    {
        try
        {
            var outcome = ProcessRunner.Run(new ProcessSpec
            {
                Program = launcherPath,
                Arguments = [LauncherOption.Probe],
                WorkingDirectory = "/",
                Environment = new Dictionary<string, string>(StringComparer.Ordinal),
                Timeout = TimeSpan.FromSeconds(10),
            }, null, CancellationToken.None);
            if (outcome.ExitCode == 0 && Parse(outcome.Stdout) is { } probe) return probe;
            return new LauncherProbe { Problem = $"{launcherPath} {LauncherOption.Probe} gave no record (exit {outcome.ExitCode}{(outcome.Stderr.Length > 0 ? ": " + outcome.Stderr.Trim() : "")})" };
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new LauncherProbe { Problem = $"{launcherPath} could not be started: {e.Message}" };
        }
    }
}
