namespace CodexSandbox.Engine.Environment;

/// <summary>Which characters a <see cref="WildcardMatcher"/> pattern treats specially. Both match the whole text and ignore case.</summary>
public enum WildcardSyntax
{
    /// <summary><c>*</c> (any run) and <c>?</c> (any one character) only, as Codex's environment patterns; everything else is literal.</summary>
    Glob,
    /// <summary>PowerShell's <c>-like</c>: also <c>[abc]</c> and <c>[a-z]</c> sets, and <c>`</c> escaping the next character.</summary>
    PowerShell,
}
