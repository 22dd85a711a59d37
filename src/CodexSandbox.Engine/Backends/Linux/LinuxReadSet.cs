using CodexSandbox.Engine.Configuration;

namespace CodexSandbox.Engine.Backends.Linux;

/// <summary>
/// What a Linux run may read when its permission profile does not grant <c>:root</c> read (<see cref="SandboxPolicy.ReadableRoots"/>):
/// the profile's readable roots, the writable roots, and what the program needs to start (<see cref="ProgramStart"/>).
/// The namespace layer mounts only these; the launcher's Landlock ruleset grants reading, listing and executing only
/// beneath them. Deny entries still win: bwrap masks them after the mounts, Landlock grants nothing at or under them.
/// </summary>
/// <param name="Profile">The profile's readable roots (read and write entries), as resolved.</param>
/// <param name="Start">The program's own start set, less what <paramref name="Profile"/> and the writable roots already cover.</param>
/// <param name="Program">The program's resolved path; null when it could not be resolved when the plan was made.</param>
public sealed record LinuxReadSet(IReadOnlyList<string> Profile, IReadOnlyList<string> Start, string? Program)
{
    /// <summary>Every readable path, the profile's first.</summary>
    public IEnumerable<string> All => Profile.Concat(Start);

    /// <summary>The read set of a read-limited policy; null when the whole disk is readable.</summary>
    /// <param name="program">The argv[0] of the command: resolved in the command's PATH as the launcher will.</param>
    public static LinuxReadSet? For(SandboxPolicy policy, string program)
    {
        if (policy.ReadableRoots is not { } readable) return null;
        var profile = readable.Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var covered = profile.Concat(policy.WritableRoots.Select(r => r.Path)).ToList();
        var resolved = Execution.SandboxExecutor.ResolveProgram(program, policy.Environment, policy.WorkingDirectory);
        var start = resolved is null ? [] : ProgramStart.For(resolved)
            .Where(p => !covered.Any(c => PathUtil.IsUnder(p, c)))
            .ToList();
        return new LinuxReadSet(profile, start, resolved);
    }

    /// <summary>True when <paramref name="path"/> is readable: at or under one of the paths, or under a writable root.</summary>
    public bool Covers(string path, SandboxPolicy policy) =>
        All.Concat(policy.WritableRoots.Select(r => r.Path)).Any(p => PathUtil.IsUnder(path, p));

    /// <summary>How the plan describes the limit.</summary>
    public string Describe()
    {
        var profile = Profile.Count == 0 ? "nothing of the profile's own" : string.Join(", ", Profile);
        var start = Program is null ? "" : Start.Count == 0 ? "" : $"; to start {Program}: {string.Join(", ", Start)}";
        return $"{profile}, and the writable roots{start}";
    }
}
