using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace CodexSandbox;

/// <summary>When the user is asked before a command runs (Codex <c>approval_policy</c>).</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum ApprovalPolicy
{
    /// <summary>Ask for everything that is not known to be safe (<c>untrusted</c>).</summary>
    Untrusted,
    /// <summary>Run in the sandbox; ask to retry unsandboxed when the sandbox blocked it (<c>on-failure</c>).</summary>
    OnFailure,
    /// <summary>Run in the sandbox; ask only for dangerous commands and escalation requests (<c>on-request</c>).</summary>
    OnRequest,
    /// <summary>Never ask: what would need approval is rejected (<c>never</c>).</summary>
    Never,
    /// <summary>
    /// Ask as <see cref="OnRequest"/> does, but reject automatically the prompts whose category is switched off
    /// (<c>approval_policy = { granular = { … } }</c>; the flags are <see cref="SandboxPolicy.GranularApproval"/>).
    /// </summary>
    Granular,
}
