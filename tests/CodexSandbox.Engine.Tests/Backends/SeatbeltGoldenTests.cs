using System.Runtime.CompilerServices;
using CodexSandbox.Engine.Backends.MacOS;

namespace CodexSandbox.Engine.Tests.Backends;

/// <summary>
/// The generated profiles, byte for byte, for every mode × network × protected-path combination.
/// Run with UPDATE_GOLDEN=1 to rewrite the files after an intended change, then review the diff.
/// </summary>
public class SeatbeltGoldenTests
{
    public static TheoryData<string, SandboxMode, NetworkMode, string> Cases()
    {
        var data = new TheoryData<string, SandboxMode, NetworkMode, string>();
        foreach (var network in new[] { NetworkMode.Off, NetworkMode.Allowlist, NetworkMode.On })
        {
            var net = network.ToString().ToLowerInvariant();
            foreach (var prot in new[] { "none", "git", "all" })
            {
                data.Add($"readonly-{net}-{prot}", SandboxMode.ReadOnly, network, prot);
                data.Add($"workspace-{net}-{prot}", SandboxMode.WorkspaceWrite, network, prot);
            }
        }
        data.Add("workspace-allowlist-noports-git", SandboxMode.WorkspaceWrite, NetworkMode.Allowlist, "git");
        data.Add("workspace-off-denyread", SandboxMode.WorkspaceWrite, NetworkMode.Off, "denyread");
        return data;
    }

    internal static SandboxPolicy PolicyFor(SandboxMode mode, NetworkMode network, string protection)
    {
        var ws = "/Users/dev/project";
        var roots = protection switch
        {
            "none" => new[] { new WritableRoot(ws, []), new WritableRoot("/tmp", []) },
            "git" => [new WritableRoot(ws, [ws + "/.git"]), new WritableRoot("/tmp", [])],
            _ => [new WritableRoot(ws, [ws + "/.git", ws + "/.codex", ws + "/.agents", "/var/tmp/gitdirs/project"]), new WritableRoot("/var/tmp", []), new WritableRoot("/tmp", [])],
        };
        return new SandboxPolicy
        {
            SandboxMode = mode,
            NetworkMode = network,
            WorkingDirectory = ws,
            // Read-only policies carry roots too here, to prove the planner ignores them.
            WritableRoots = roots,
            DenyRead = protection == "denyread" ? ["/Users/dev/.ssh", "/Users/dev/**/*.pem", "/tmp/secrets/*", ".env"] : [],
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Profile_matches_golden_file(string name, SandboxMode mode, NetworkMode network, string protection)
    {
        var ports = name.Contains("noports") ? Array.Empty<int>() : [3128, 1080];
        var profile = SeatbeltProfileBuilder.Build(PolicyFor(mode, network, protection), ports).Text;
        var path = Path.Combine(GoldenDir(), name + ".sbpl");
        if (System.Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1") File.WriteAllText(path, profile);
        Assert.True(File.Exists(path), $"missing golden file {path}; run with UPDATE_GOLDEN=1");
        Assert.Equal(File.ReadAllText(path), profile);
    }

    [Fact]
    public void Every_golden_file_belongs_to_a_case()
    {
        var names = Cases().Select(row => (string)row[0]).ToHashSet();
        var files = Directory.GetFiles(GoldenDir(), "*.sbpl").Select(f => Path.GetFileNameWithoutExtension(f)!).ToList();
        Assert.All(files, f => Assert.Contains(f, names));
        Assert.Equal(names.Count, files.Count);
    }

    private static string GoldenDir([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "Golden");
}
