namespace CodexSandbox.HelpBuilder.Diagnostics;

/// <summary>One schema or drift problem, printed as <c>path:line: message</c> so editors and CI can jump to it.</summary>
internal sealed record HelpDiagnostic(string Path, int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"{Path}:{Line}: {Message}" : $"{Path}: {Message}";
}
