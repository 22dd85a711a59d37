using CodexSandbox.Engine.Backends.MacOS;
using CodexSandbox.Engine.Backends.Windows;

namespace CodexSandbox.Engine.Tests.Backends;

/// <summary>A permission profile's read limit on macOS (the generated Seatbelt profile; unverified until it runs on a Mac)
/// and on Windows (a restricted token cannot limit reads, and the plan says so).</summary>
public class ReadLimitProfileTests
{
    private static readonly SeatbeltPlannerOptions Options = new() { ResolveSymlinks = false };

    private static SandboxPolicy Limited(IReadOnlyList<string>? readable) => new()
    {
        SandboxMode = SandboxMode.WorkspaceWrite,
        WorkingDirectory = "/Users/dev/project",
        WritableRoots = [new WritableRoot("/Users/dev/project", ["/Users/dev/project/.git"])],
        ReadableRoots = readable,
        DenyRead = ["/Users/dev/docs/secret.txt"],
        Environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" },
    };

    [Fact]
    public void SeatbeltReadsOnlyTheReadableAndWritableRootsTheProgramAndTheLoadersFiles()
    {
        var plan = new SeatbeltPlanner(Options).Plan(Limited(["/Users/dev/docs"]), ["sh", "-c", "true"]);
        var profile = plan.Profile!;
        Assert.DoesNotContain("(allow file-read*)\n", profile);
        Assert.Contains("; Reading: only the permission profile's readable roots", profile);
        Assert.Contains("(allow file-read*\n  (subpath (param \"READABLE_ROOT_0\"))\n  (subpath (param \"READABLE_ROOT_1\")))", profile);
        Assert.Contains("-DREADABLE_ROOT_0=/Users/dev/docs", plan.Arguments);
        Assert.Contains("-DREADABLE_ROOT_1=/Users/dev/project", plan.Arguments);
        // the program, resolved in the command's PATH, and what dyld needs
        var sh = CodexSandbox.Engine.Execution.SandboxExecutor.ResolveProgram("sh", new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" }, "/");
        Assert.Contains($"-DREADABLE_PROGRAM_0={sh}", plan.Arguments);
        Assert.Contains("(allow file-read* (literal (param \"READABLE_PROGRAM_0\")))", profile);
        Assert.Contains("(allow file-map-executable\n  (subpath \"/usr/lib\")", profile);
        Assert.DoesNotContain("(subpath \"/Users\")", profile);
        // deny_read comes after, so it still wins
        Assert.True(profile.IndexOf("(deny file-read*", StringComparison.Ordinal) > profile.IndexOf("READABLE_ROOT_1", StringComparison.Ordinal));
        Assert.Contains(plan.Enforced, e => e.StartsWith("read-limit: reading only in /Users/dev/docs, the writable roots", StringComparison.Ordinal));
        Assert.DoesNotContain(plan.NotEnforced, n => n.StartsWith("read:", StringComparison.Ordinal));
    }

    [Fact]
    public void SeatbeltWithoutALimitReadsEverythingAndAProfileThatGrantsNothingStillStartsThePrograms()
    {
        var open = new SeatbeltPlanner(Options).Plan(Limited(null), ["true"]);
        Assert.Contains("(allow file-read*)\n", open.Profile!);
        Assert.DoesNotContain("READABLE_", open.Profile!);
        Assert.Contains(open.NotEnforced, n => n.StartsWith("read: the whole disk stays readable", StringComparison.Ordinal));

        // resource limits are set by /bin/sh before the command: both must be readable
        var limits = Limited([]) with { Limits = new ResourceLimits { CpuSeconds = 5 } };
        var plan = new SeatbeltPlanner(Options).Plan(limits, ["/bin/true"]);
        Assert.Contains("-DREADABLE_PROGRAM_0=/bin/sh", plan.Arguments);
        Assert.Contains("-DREADABLE_PROGRAM_1=/bin/true", plan.Arguments);
        Assert.Contains("-DREADABLE_ROOT_0=/Users/dev/project", plan.Arguments);
        Assert.Contains(plan.Enforced, e => e.StartsWith("read-limit: reading only in nothing of the profile's own", StringComparison.Ordinal));
    }

    [Fact]
    public void WindowsCannotLimitReadsAndSaysSo()
    {
        var policy = new SandboxPolicy
        {
            SandboxMode = SandboxMode.ReadOnly, WorkingDirectory = @"C:\w", WritableRoots = [], ReadableRoots = [@"C:\w"],
        };
        var plan = new WindowsPlanner(new WindowsPlannerOptions { ListFolder = _ => [] }).Plan(policy, ["dir"]);
        Assert.Contains(@"read-limit: the permission profile limits reads to C:\w, but a write-restricted token cannot limit reading: the whole disk stays readable", plan.NotEnforced);
        Assert.DoesNotContain(plan.Enforced, e => e.StartsWith("read-limit", StringComparison.Ordinal));
        var open = new WindowsPlanner(new WindowsPlannerOptions { ListFolder = _ => [] }).Plan(policy with { ReadableRoots = null }, ["dir"]);
        Assert.Contains("read: the whole disk stays readable", open.NotEnforced);
    }
}
