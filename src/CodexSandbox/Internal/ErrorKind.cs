using System.Management.Automation;

namespace CodexSandbox.Internal;

/// <summary>One kind of error the cmdlets report: its ErrorId, its category, and the fix shown as RecommendedAction.</summary>
/// <param name="Id">The ErrorId (the first part of FullyQualifiedErrorId).</param>
/// <param name="Category">The one category every record of this kind has.</param>
/// <param name="Remedy">The fix, used unless a record names a more specific one.</param>
internal sealed record ErrorKind(string Id, ErrorCategory Category, string Remedy);
