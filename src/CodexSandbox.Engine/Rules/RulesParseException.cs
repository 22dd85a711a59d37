namespace CodexSandbox.Engine.Rules;

/// <summary>A <c>.rules</c> file that cannot be used; <see cref="Exception.Message"/> reads <c>path:line: message</c>.</summary>
public sealed class RulesParseException : Exception
{
    public RulesParseException(string path, int line, int column, string id, string detail)
        : base($"{path}:{line}: {detail}")
    {
        Path = path;
        Line = line;
        Column = column;
        Id = id;
        Detail = detail;
    }

    public string Path { get; }
    /// <summary>1-based line of the problem.</summary>
    public int Line { get; }
    /// <summary>1-based column, or 0.</summary>
    public int Column { get; }
    /// <summary><c>SyntaxError</c>, <c>InvalidRule</c> or <c>ExampleFailed</c>.</summary>
    public string Id { get; }
    /// <summary>The message without the location.</summary>
    public string Detail { get; }
}
