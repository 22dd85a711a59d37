using System.Diagnostics;
using System.Text.Json;
using CodexSandbox.Engine.Audit;

namespace CodexSandbox.Engine.Tests.Audit;

public class AuditConcurrencyTests
{
    [Theory]
    [InlineData(null)]
    [InlineData(20_000L)] // rotation while threads race
    public void EightThreadsTimesTwoHundredLoseNothing(long? maxBytes)
    {
        using var log = new AuditTestLog(maxBytes);
        // Separate AuditLog instances per thread too: the file lock, not the in-process lock, must do the work.
        var instances = Enumerable.Range(0, 8).Select(i => i % 2 == 0 ? log.Log : new AuditLog(log.Settings, maxBytes)).ToArray();
        using var start = new Barrier(8);
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            try
            {
                for (var i = 0; i < 200; i++) instances[t].Append(new AuditEntry { EventType = AuditEventType.CommandExecuted, Argv = ["echo", $"t{t}", $"i{i}"] });
            }
            catch (Exception e) { failures.Enqueue(e); }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Empty(failures);

        AssertComplete(log, expected: 1600, writers: Enumerable.Range(0, 8).Select(t => $"t{t}"), perWriter: 200);
        if (maxBytes is not null) Assert.True(new AuditFiles(log.LogPath).Rotated().Count > 3);
    }

    [Fact]
    public void FourProcessesTimesTwoThreadsTimesTwoHundredLoseNothing()
    {
        using var log = new AuditTestLog();
        var tool = WriterTool.Path();
        var processes = Enumerable.Range(0, 4).Select(p => WriterTool.Start(tool, log.LogPath, threads: 2, perThread: 200, tag: $"p{p}", maxBytes: 50_000)).ToList();
        foreach (var p in processes) Assert.Equal("ready", p.StandardOutput.ReadLine());
        foreach (var p in processes) p.StandardInput.WriteLine("go");
        foreach (var p in processes)
        {
            Assert.True(p.WaitForExit(120_000), "writer process hung");
            Assert.True(p.ExitCode == 0, p.StandardError.ReadToEnd());
        }
        var records = AssertComplete(log, expected: 1600, writers: Enumerable.Range(0, 4).Select(p => $"p{p}"), perWriter: 400);
        Assert.Equal(4, records.Select(r => r.ProcessId).Distinct().Count());
        Assert.True(new AuditFiles(log.LogPath).Rotated().Count > 3);
    }

    private static List<AuditRecord> AssertComplete(AuditTestLog log, int expected, IEnumerable<string> writers, int perWriter)
    {
        var files = new AuditFiles(log.LogPath).ChainOrder();
        var lines = files.SelectMany(File.ReadAllLines).ToList();
        Assert.Equal(expected, lines.Count);
        foreach (var line in lines) JsonDocument.Parse(line).Dispose(); // every line whole, no interleaved bytes

        var warnings = new List<ConfigDiagnostic>();
        var records = log.All(warnings);
        Assert.Empty(warnings);
        Assert.Equal(Enumerable.Range(1, expected).Select(i => (long)i), records.Select(r => r.Seq));
        foreach (var writer in writers) Assert.Equal(perWriter, records.Count(r => r.Argv[1] == writer));
        Assert.Equal(expected, records.Select(r => r.Id).Distinct().Count());

        var verify = AuditReader.Verify(log.LogPath);
        Assert.True(verify.Intact, verify.ToString());
        Assert.Equal(expected, verify.RecordsChecked);
        return records;
    }
}

/// <summary>Builds (once) and starts tests/CodexSandbox.AuditWriter.Tool, a separate process that appends records.</summary>
internal static class WriterTool
{
    private static readonly Lazy<string> Built = new(Build);

    public static string Path() => Built.Value;

    private static string Build()
    {
        var repo = AppContext.BaseDirectory;
        while (!File.Exists(System.IO.Path.Combine(repo, "Directory.Build.props"))) repo = System.IO.Path.GetDirectoryName(repo)!;
        var project = System.IO.Path.Combine(repo, "tests", "CodexSandbox.AuditWriter.Tool", "CodexSandbox.AuditWriter.Tool.csproj");
        using var build = Process.Start(new ProcessStartInfo("dotnet", ["build", project, "-c", "Debug", "-nologo", "-v", "q"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = build.StandardOutput.ReadToEndAsync();
        var errors = build.StandardError.ReadToEndAsync();
        build.WaitForExit();
        Assert.True(build.ExitCode == 0, $"building the writer tool failed:\n{output.Result}\n{errors.Result}");
        var dll = System.IO.Path.Combine(repo, "artifacts", "bin", "CodexSandbox.AuditWriter.Tool", "debug", "CodexSandbox.AuditWriter.Tool.dll");
        Assert.True(File.Exists(dll), dll);
        return dll;
    }

    public static Process Start(string dll, string log, int threads, int perThread, string tag, long maxBytes) =>
        Process.Start(new ProcessStartInfo("dotnet", [dll, log, threads.ToString(), perThread.ToString(), tag, maxBytes.ToString()])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
}
