using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using CodexSandbox.Engine.Rollback;

namespace CodexSandbox.Benchmarks;

/// <summary>
/// Checkpoint cost for a 10,000-file git work tree (goal: ≤ 1 s warm), clean and with 1,000 untracked files,
/// plus the post-run mark and a dry-run undo after a small change.
/// </summary>
[MemoryDiagnoser]
public class RollbackBenchmarks
{
    private string _base = "";
    private string _work = "";
    private CheckpointStore _store = null!;
    private Checkpoint _marked = null!;

    [Params(0, 1000)]
    public int UntrackedFiles { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _base = Path.Combine(Path.GetTempPath(), "cxsb-bench-rb-" + Guid.NewGuid().ToString("n")[..8]);
        _work = Directory.CreateDirectory(Path.Combine(_base, "work")).FullName;
        Git("init", "-q", "-b", "main");
        for (var i = 0; i < 10_000; i++)
        {
            var path = Path.Combine(_work, $"src/m{i % 50}/d{i % 7}/file{i}.cs");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, $"// file {i}\nclass C{i} {{ int X = {i}; }}\n");
        }
        Git("add", "-A");
        Git("-c", "user.name=b", "-c", "user.email=b@b", "commit", "-q", "-m", "tree");
        for (var i = 0; i < UntrackedFiles; i++)
        {
            var path = Path.Combine(_work, $"untracked/u{i % 20}/new{i}.txt");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, $"untracked {i}\n");
        }
        // Let the index stat data age past git's racy-clean window, as in a work tree the user has had open a while.
        Thread.Sleep(1100);
        Git("status", "--porcelain");
        _store = new CheckpointStore(Path.Combine(_base, "store"));
        _marked = _store.Take([_work], long.MaxValue);
        File.AppendAllText(Path.Combine(_work, "src/m1/d1/file1.cs"), "// changed\n");
        _marked = _store.MarkAfterRun(_marked);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_base, recursive: true);

    [Benchmark]
    public Checkpoint Take()
    {
        var c = _store.Take([_work], long.MaxValue);
        _store.Delete(c);
        return c;
    }

    [Benchmark]
    public Checkpoint MarkAfterRun() => _store.MarkAfterRun(_marked);

    [Benchmark]
    public UndoResult UndoDryRun() => _store.Undo(_marked, dryRun: true);

    private void Git(params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = _work, UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException("git " + string.Join(' ', args) + " failed");
    }
}
