using System.Diagnostics;
using System.Text;

namespace CodexSandbox.Engine.Rollback;

/// <summary>Runs the git command line with an environment that cannot redirect it elsewhere or run user code.</summary>
internal static class GitCli
{
    internal sealed record Result(int ExitCode, byte[] Stdout, string Stderr)
    {
        public string Text => Encoding.UTF8.GetString(Stdout).TrimEnd('\n');
    }

    // Hooks, fsmonitor daemons, pagers and automatic gc are user-controlled code or slow side effects: all off.
    private static readonly string[] Settings =
    [
        "--no-pager",
        "-c", "core.hooksPath=/dev/null",
        "-c", "core.fsmonitor=false",
        "-c", "gc.auto=0",
        "-c", "maintenance.auto=false",
        "-c", "advice.addIgnoredFile=false",
        "-c", "core.quotepath=off",
    ];

    /// <param name="objects">Where objects are read and written, instead of the repository's own object folder.</param>
    public static Result Run(string workingDirectory, IReadOnlyList<string> args, string? indexFile = null, byte[]? stdin = null, bool literalPathspecs = true,
        GitObjects? objects = null)
    {
        var psi = new ProcessStartInfo("git")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var a in Settings) psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);

        var env = psi.Environment;
        // GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE, GIT_OBJECT_DIRECTORY… from the caller would point git at another repository.
        foreach (var key in env.Keys.Where(k => k.StartsWith("GIT_", StringComparison.OrdinalIgnoreCase)).ToList()) env.Remove(key);
        env["GIT_TERMINAL_PROMPT"] = "0";
        env["GIT_OPTIONAL_LOCKS"] = "0";
        // Paths with '*', '?' or ':' must name themselves; check-ignore rejects this mode, so it can opt out.
        if (literalPathspecs) env["GIT_LITERAL_PATHSPECS"] = "1";
        env["GIT_AUTHOR_NAME"] = env["GIT_COMMITTER_NAME"] = "codex-sandbox";
        env["GIT_AUTHOR_EMAIL"] = env["GIT_COMMITTER_EMAIL"] = "codex-sandbox@localhost";
        env["LC_ALL"] = "C";
        if (indexFile is not null) env["GIT_INDEX_FILE"] = indexFile;
        // refs/replace/ in the user's repository would make a blob read back as other content.
        env["GIT_NO_REPLACE_OBJECTS"] = "1";
        if (objects is not null)
        {
            env["GIT_OBJECT_DIRECTORY"] = objects.Directory;
            if (objects.Borrowed is { } borrowed) env["GIT_ALTERNATE_OBJECT_DIRECTORIES"] = QuoteAlternate(borrowed);
        }

        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new CheckpointException("git is not installed or not on PATH.", e);
        }
        using (process)
        {
            var stdout = Task.Run(() =>
            {
                using var ms = new MemoryStream();
                process.StandardOutput.BaseStream.CopyTo(ms);
                return ms.ToArray();
            });
            var stderr = process.StandardError.ReadToEndAsync();
            if (stdin is not null) process.StandardInput.BaseStream.Write(stdin);
            process.StandardInput.Close();
            process.WaitForExit();
            return new Result(process.ExitCode, stdout.Result, stderr.Result);
        }
    }

    /// <summary>Runs git and throws when it fails.</summary>
    public static Result Check(string workingDirectory, IReadOnlyList<string> args, string? indexFile = null, byte[]? stdin = null, GitObjects? objects = null)
    {
        var r = Run(workingDirectory, args, indexFile, stdin, objects: objects);
        if (r.ExitCode != 0)
            throw new CheckpointException($"git {string.Join(' ', args.SkipWhile(a => a.StartsWith("--git-dir=", StringComparison.Ordinal)).Take(2))} failed in {workingDirectory} (exit {r.ExitCode}): {r.Stderr.Trim()}");
        return r;
    }

    // The variable is ':'-separated; a path holding ':', a newline or a leading '"' must be given as a C-quoted string.
    private static string QuoteAlternate(string path) =>
        path.IndexOfAny([':', '\n']) >= 0 || path.StartsWith('"')
            ? "\"" + path.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\""
            : path;

    /// <summary>Splits NUL-terminated output.</summary>
    public static IEnumerable<string> SplitZ(byte[] output)
    {
        var start = 0;
        for (var i = 0; i < output.Length; i++)
        {
            if (output[i] != 0) continue;
            yield return Encoding.UTF8.GetString(output, start, i - start);
            start = i + 1;
        }
        if (start < output.Length) yield return Encoding.UTF8.GetString(output, start, output.Length - start);
    }

    /// <summary>Splits newline-terminated output.</summary>
    public static IEnumerable<string> SplitLines(byte[] output) =>
        Encoding.UTF8.GetString(output).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public static byte[] JoinZ(IEnumerable<string> items)
    {
        var sb = new StringBuilder();
        foreach (var s in items) sb.Append(s).Append('\0');
        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}
