namespace CodexSandbox.Engine.Configuration;

/// <summary>The type a known config key must have.</summary>
public enum ConfigKeyKind
{
    Bool,
    String,
    /// <summary>One of a closed set of spellings.</summary>
    Choice,
    /// <summary>An integer &gt; 0.</summary>
    PositiveInteger,
    /// <summary>An absolute path (or one starting with <c>~/</c>).</summary>
    AbsolutePath,
    AbsolutePathList,
    StringList,
    /// <summary>A table of string values.</summary>
    StringTable,
    /// <summary>An array of TCP port numbers (1–65535).</summary>
    PortList,
    /// <summary><c>approval_policy</c>: one of the policy spellings, or <c>{ granular = { … } }</c>.</summary>
    ApprovalPolicy,
}
