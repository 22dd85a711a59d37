using System.Diagnostics;

namespace CodexSandbox.Launcher.Tests;

public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs a program with separate stdout/stderr capture and a timeout.</summary>
public static class ProcessRunner
{
    public static ProcessResult Run(string program, IEnumerable<string> args, TimeSpan? timeout = null, string? stdinFile = null)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdinFile is not null)
        {
            using var input = File.OpenRead(stdinFile);
            input.CopyTo(p.StandardInput.BaseStream);
        }
        p.StandardInput.Close();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} timed out");
        }
        p.WaitForExit();
        return new ProcessResult(p.ExitCode, stdout.Result, stderr.Result);
    }
}
