namespace CodexSandbox.Engine.Rules;

internal enum RulesTokenKind : byte
{
    Identifier,
    String,
    Integer,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Equals,
    Plus,
    Semicolon,
    End,
}
