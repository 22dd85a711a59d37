namespace CodexSandbox.Engine.Analysis;

/// <summary>One token of a POSIX shell script.</summary>
internal struct PosixToken
{
    public PosixTokenKind Kind;
    /// <summary>A word's value after quote removal, or a heredoc's delimiter.</summary>
    public string Text;
    /// <summary>Word: free of expansions and substitutions. Heredoc: the body cannot expand into a command.</summary>
    public bool Plain;
    /// <summary>Word: some part was quoted or escaped (so it is never a reserved word or an assignment).</summary>
    public bool Quoted;
    /// <summary>Heredoc body.</summary>
    public string? Body;
}
