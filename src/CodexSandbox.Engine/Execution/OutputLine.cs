namespace CodexSandbox.Engine.Execution;

/// <summary>One line of a running command's output, for live streaming.</summary>
public readonly record struct OutputLine(bool IsError, string Text);
