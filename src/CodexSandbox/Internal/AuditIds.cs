namespace CodexSandbox.Internal;

/// <summary>Audit ids are 32 hex digits; a Guid in another spelling (a piped SandboxResult.Id) names the same record.</summary>
internal static class AuditIds
{
    public static string Normalize(string id) => Guid.TryParse(id, out var g) ? g.ToString("N") : id;
}
