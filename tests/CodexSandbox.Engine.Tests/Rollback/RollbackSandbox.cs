using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using CodexSandbox.Engine.Rollback;

namespace CodexSandbox.Engine.Tests.Rollback;

/// <summary>A throwaway work folder (optionally a git repository) and a checkpoint store beside it.</summary>
public sealed class RollbackSandbox : IDisposable
{
    private readonly string _base;

    public RollbackSandbox(bool git)
    {
        _base = Path.Combine(Path.GetTempPath(), "cxsb-rb-" + Guid.NewGuid().ToString("n")[..10]);
        Work = Directory.CreateDirectory(Path.Combine(_base, "work")).FullName;
        StoreDirectory = Path.Combine(_base, "store");
        Store = new CheckpointStore(StoreDirectory);
        if (!git) return;
        Git("init", "-q", "-b", "main");
        Git("config", "user.name", "Test User");
        Git("config", "user.email", "test@example.com");
        Git("config", "commit.gpgsign", "false");
    }

    public string Work { get; }
    public string StoreDirectory { get; }
    public CheckpointStore Store { get; }
    public string Outside(string name) => Path.Combine(_base, name);

    public string P(string relative) => Path.Combine(Work, relative);

    public void Write(string relative, string text) => Write(relative, Encoding.UTF8.GetBytes(text));

    public void Write(string relative, byte[] bytes)
    {
        var path = P(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    public string Read(string relative) => File.ReadAllText(P(relative));

    public string Git(params string[] args) => Run(Work, "git", args);

    public static string Run(string cwd, string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var k in psi.Environment.Keys.Where(k => k.StartsWith("GIT_", StringComparison.Ordinal)).ToList()) psi.Environment.Remove(k);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed: {err.Result}");
        return output;
    }

    /// <summary>The shell plays the sandboxed run.</summary>
    public void Sh(string script) => Run(Work, "/bin/sh", "-c", script);

    /// <summary>Everything under the work folder except .git: path → type, permission bits, content hash or link target.</summary>
    public SortedDictionary<string, string> Listing()
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        pending.Push(Work);
        while (pending.Count > 0)
        {
            foreach (var info in new DirectoryInfo(pending.Pop()).EnumerateFileSystemInfos())
            {
                var rel = Path.GetRelativePath(Work, info.FullName);
                if (rel == ".git") continue;
                if (info.LinkTarget is { } target) result[rel] = "link " + target;
                else if (info is DirectoryInfo d)
                {
                    result[rel] = "dir " + Convert.ToString((int)d.UnixFileMode, 8);
                    pending.Push(d.FullName);
                }
                else
                {
                    using var s = File.OpenRead(info.FullName);
                    result[rel] = $"file {Convert.ToString((int)info.UnixFileMode, 8)} {Convert.ToHexString(SHA256.HashData(s))}";
                }
            }
        }
        return result;
    }

    /// <summary>The user's git state that a checkpoint must never touch: HEAD, index, stash, every ref and the history they reach.</summary>
    public string GitState() => string.Join("\n---\n",
        Git("rev-parse", "HEAD"),
        Git("symbolic-ref", "HEAD"),
        Git("ls-files", "-s"),
        Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(Work, Git("rev-parse", "--git-path", "index").Trim())))),
        Git("diff", "--cached"),
        Git("stash", "list"),
        Git("branch", "-a"),
        Git("log", "--all", "--format=%H %P %s"),
        Git("for-each-ref", "--format=%(refname) %(objectname)"));

    /// <summary>Every file under the user's .git folder with its content hash: nothing may be added, changed or removed.</summary>
    public SortedDictionary<string, string> GitFolder()
    {
        var dir = Path.Combine(Work, ".git");
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
            result[Path.GetRelativePath(dir, file)] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
        return result;
    }

    /// <summary>Runs git in the store's checkpoint repository (sha1, as <c>git init</c> makes by default).</summary>
    public string CheckpointGit(params string[] args) => Run(StoreDirectory, "git", ["--git-dir=" + Path.Combine(StoreDirectory, "git", "sha1.git"), .. args]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_base, recursive: true);
        }
        catch (IOException)
        {
            // Best effort; the folder is in the temp directory.
        }
    }
}
