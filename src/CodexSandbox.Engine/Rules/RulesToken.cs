namespace CodexSandbox.Engine.Rules;

internal readonly record struct RulesToken(RulesTokenKind Kind, string Text, long Number, int Line, int Column);
