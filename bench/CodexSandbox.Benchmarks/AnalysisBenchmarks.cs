using BenchmarkDotNet.Attributes;
using CodexSandbox;
using CodexSandbox.Engine.Analysis;
using CodexSandbox.Engine.Rules;

/// <summary>
/// Analysis throughput: each operation assesses a batch of command lines, so lines/s = Lines / (mean time per op).
/// Goals: ≥ 200,000 POSIX lines/s and ≥ 20,000 PowerShell scripts/s on one core.
/// </summary>
[MemoryDiagnoser]
public class AnalysisBenchmarks
{
    private static readonly string[] PosixLines =
    [
        "ls -la",
        "git status",
        "rm -rf /",
        "cat src/main.rs | grep -n TODO | wc -l",
        "git log --oneline -n 20 && git diff HEAD~1 -- src/",
        "cargo build --release",
        "find . -name '*.cs' -not -path './artifacts/*'",
        "sudo -n rm -rf /var/tmp/x",
        "echo \"hello world\" > out.txt",
        "bash -lc \"cat a | wc -l\"",
        "npm install && npm test",
        "sed -n 1,20p README.md",
        "python3 -c 'print(1)'",
        "git push --force-with-lease origin main",
        "rg -n 'fn main' --glob '*.rs'",
        "FOO=bar make -j4",
    ];

    private static readonly string[] PowerShellScripts =
    [
        "Get-ChildItem -Recurse | Select-Object Name",
        "Get-Content README.md | Select-String TODO",
        "Remove-Item -Recurse -Force ./build",
        "git status; git diff",
        "Get-ChildItem $env:HOME",
        "Start-Process https://example.com",
        "pwd && ls",
        "Get-Item a.txt | Measure-Object",
    ];

    private RuleSet _rules = RuleSet.Empty;

    public const int Lines = 16;

    [GlobalSetup]
    public void Setup()
    {
        _rules = RuleSet.Parse("bench.rules", """
            prefix_rule(["git", "push"], decision="prompt", justification="pushes leave the machine")
            prefix_rule(["curl"], decision="forbidden")
            prefix_rule(["cargo", ["build", "test"]])
            prefix_rule(["npm", ["install", "ci"]], decision="prompt")
            """);
        // warm the PowerShell parser once, outside the measurement
        PowerShellAnalysis.TryParseCommands("Get-ChildItem", new List<string[]>());
    }

    /// <summary>Full assessment (parse, safety, rules, approval) of 16 POSIX lines.</summary>
    [Benchmark(OperationsPerInvoke = Lines)]
    public int PosixAssess()
    {
        int n = 0;
        foreach (var line in PosixLines)
        {
            n += (int)CommandAnalyzer.Assess(line, ShellKind.Posix, _rules, SandboxMode.WorkspaceWrite, ApprovalPolicy.OnRequest).Decision;
        }
        return n;
    }

    /// <summary>Plain-command parsing only, 16 POSIX lines.</summary>
    [Benchmark(OperationsPerInvoke = Lines)]
    public int PosixParse()
    {
        int n = 0;
        var commands = new List<string[]>();
        foreach (var line in PosixLines)
        {
            commands.Clear();
            if (PosixScriptParser.TryParsePlainCommands(line, commands)) n += commands.Count;
        }
        return n;
    }

    /// <summary>Full assessment of 16 PowerShell scripts (8 distinct, twice) with the in-process parser.</summary>
    [Benchmark(OperationsPerInvoke = Lines)]
    public int PowerShellAssess()
    {
        int n = 0;
        for (int k = 0; k < 2; k++)
        {
            foreach (var script in PowerShellScripts)
            {
                n += (int)CommandAnalyzer.Assess(script, ShellKind.PowerShell, _rules, SandboxMode.WorkspaceWrite, ApprovalPolicy.OnRequest).Decision;
            }
        }
        return n;
    }
}

/// <summary>The PowerShell parser alone, for comparison with <see cref="AnalysisBenchmarks.PowerShellAssess"/>.</summary>
[MemoryDiagnoser]
public class AnalysisParserBaseline
{
    private const string Script = "Get-ChildItem -Recurse | Select-Object Name";

    [Benchmark]
    public int PowerShellParseInput()
        => System.Management.Automation.Language.Parser.ParseInput(Script, out var tokens, out _).EndBlock.Statements.Count + tokens.Length;
}
