using System.Management.Automation;
using CodexSandbox.Engine.Execution;
using CodexSandbox.Engine.Run;

namespace CodexSandbox.Internal;

/// <summary>The three ways Invoke-SandboxedCommand takes a command, as the argv to start and the text to show.</summary>
internal static class CommandsToRun
{
    /// <summary>A POSIX shell line, run as <c>/bin/sh -c</c>.</summary>
    // Windows has no /bin/sh; a POSIX sh on PATH (Git for Windows ships one) runs the line there.
    public static CommandToRun ShellLine(string line) => new(ShellKind.Posix, [OperatingSystem.IsWindows() ? "sh" : "/bin/sh", "-c", line], line);

    /// <summary>PowerShell code, run in <c>pwsh -NoProfile -NonInteractive -Command</c>.</summary>
    public static CommandToRun Script(ScriptBlock block)
    {
        var script = block.ToString().Trim();
        return new(ShellKind.PowerShell, [.. PwshCommand(), "-NoProfile", "-NonInteractive", "-Command", script], script);
    }

    /// <summary>A program and its arguments, run without a shell.</summary>
    public static CommandToRun Program(string filePath, IReadOnlyList<string> arguments)
    {
        List<string> argv = [filePath, .. arguments];
        return new(ShellKind.Argv, argv, string.Join(' ', argv.Select(LaunchPlanText.Quote)));
    }

    // The PowerShell that runs this module, so -ScriptBlock works without a global pwsh (for example the dotnet tool).
    private static string[] PwshCommand()
    {
        var process = Environment.ProcessPath ?? "pwsh";
        if (Path.GetFileNameWithoutExtension(process) == "pwsh") return [process];
        var pwshDll = Path.Combine(Path.GetDirectoryName(typeof(PSObject).Assembly.Location)!, "pwsh.dll");
        return File.Exists(pwshDll) ? [process, pwshDll] : ["pwsh"];
    }
}
