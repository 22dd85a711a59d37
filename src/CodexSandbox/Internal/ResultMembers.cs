using System.Management.Automation;

namespace CodexSandbox.Internal;

/// <summary>
/// Members CodexSandbox.types.ps1xml adds to output types as PowerShell sees them. Public only so the types file can
/// name them (a CodeProperty getter is a public static method taking the PSObject).
/// </summary>
public static class ResultMembers
{
    /// <summary>
    /// SandboxResult.Id in the audit log's spelling (32 hex digits, Guid format "N"), so the result's Id and AuditId
    /// read the same. The records already in the hash-chained log keep their ids; the result adopts theirs.
    /// </summary>
    public static string SandboxResultId(PSObject instance) =>
        ((SandboxResult)instance.BaseObject).Id.ToString("N");
}
