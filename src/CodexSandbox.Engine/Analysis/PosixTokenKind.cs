namespace CodexSandbox.Engine.Analysis;

/// <summary>The lexical classes the POSIX lexer tells apart.</summary>
internal enum PosixTokenKind : byte
{
    Word,
    AndIf,      // &&
    OrIf,       // ||
    Semi,       // ;
    Pipe,       // |
    Newline,
    Background, // &
    PipeAmp,    // |&
    CaseEnd,    // ;; ;& ;;&
    LParen,
    RParen,
    Redirect,   // < > >> 2> &> >& <& <> >|
    Heredoc,    // << or <<- (Text = delimiter, Body = body)
    HereString, // <<<
}
