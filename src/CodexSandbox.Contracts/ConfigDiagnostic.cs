namespace CodexSandbox;

/// <summary>One problem found in a config or rules file.</summary>
public sealed class ConfigDiagnostic
{
    public ConfigDiagnostic(DiagnosticSeverity severity, string id, string path, int line, int column, string? key, string message)
    {
        Severity = severity;
        Id = id;
        Path = path;
        Line = line;
        Column = column;
        Key = key;
        Message = message;
    }

    public DiagnosticSeverity Severity { get; }
    /// <summary>A stable identifier such as <c>SyntaxError</c>, <c>WrongType</c>, <c>UnknownValue</c>, <c>UnknownKey</c>, <c>RelativePath</c>.</summary>
    public string Id { get; }
    public string Path { get; }
    /// <summary>1-based line, or 0 when the problem is not tied to a line.</summary>
    public int Line { get; }
    /// <summary>1-based column, or 0.</summary>
    public int Column { get; }
    /// <summary>The dotted key the problem is about, when there is one.</summary>
    public string? Key { get; }
    public string Message { get; }

    public override string ToString() => $"{Path}:{Line}:{Column}: {Severity.ToString().ToLowerInvariant()}: {Message}";
}
