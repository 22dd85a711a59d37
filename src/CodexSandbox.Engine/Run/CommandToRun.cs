namespace CodexSandbox.Engine.Run;

/// <summary>One command as the caller gave it.</summary>
/// <param name="Shell">How it is analysed: a POSIX line, a PowerShell script, or an argv run without a shell.</param>
/// <param name="Argv">What is started (for a line, <c>/bin/sh -c line</c>; for a script, <c>pwsh … -Command script</c>).</param>
/// <param name="Display">The command as the user wrote it: analysed (line, script), shown in prompts, and recorded.</param>
public sealed record CommandToRun(ShellKind Shell, IReadOnlyList<string> Argv, string Display);
