using System.Diagnostics;

namespace CodexSandbox.Engine.Backends.Linux;

/// <summary>Finds bubblewrap and checks, once per session, that it can build the namespaces we ask for.</summary>
public static class BwrapProbe
{
    public sealed record Result(string? Path, string? Version, bool Works, string? Problem);

    private static readonly Lazy<Result> s_cached = new(Probe);

    public static Result Current => s_cached.Value;

    /// <summary>The hardened arguments every run uses, minus per-run binds; also used by the preflight and the benchmark.</summary>
    public static readonly IReadOnlyList<string> BaseArguments =
        ["--new-session", "--die-with-parent", "--unshare-user", "--unshare-pid", "--cap-drop", "ALL", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"];

    private static Result Probe()
    {
        var path = Locate();
        if (path is null) return new Result(null, null, false, "bwrap was not found in /usr/bin, /bin or /usr/local/bin (Debian: apt-get install bubblewrap)");
        string? version = null;
        try
        {
            var (code, output) = RunQuiet(path, ["--version"]);
            if (code == 0) version = output.Trim().Replace("bubblewrap ", "", StringComparison.Ordinal);
            var args = BaseArguments.Concat(["--unshare-net", "--", "/bin/true"]).ToList();
            var (preflight, error) = RunQuiet(path, args);
            return preflight == 0
                ? new Result(path, version, true, null)
                : new Result(path, version, false, $"bwrap could not create the sandbox namespaces (exit {preflight}): {error.Trim()}");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            return new Result(path, version, false, e.Message);
        }
    }

    // Only fixed system folders: a bwrap planted on PATH (possibly inside a writable root) is never used.
    private static string? Locate() =>
        new[] { "/usr/bin/bwrap", "/bin/bwrap", "/usr/local/bin/bwrap" }.FirstOrDefault(File.Exists);

    private static (int Code, string Output) RunQuiet(string program, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        // Both streams are read asynchronously, so the wait below (not a blocking read) decides when to give up.
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(10_000)) { p.Kill(true); return (-1, "timed out after 10 s"); }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
