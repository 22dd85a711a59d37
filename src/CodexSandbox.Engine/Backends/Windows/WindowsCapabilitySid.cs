using System.Security.Cryptography;
using System.Text;

namespace CodexSandbox.Engine.Backends.Windows;

/// <summary>
/// The per-workspace capability SID. Codex stores random SIDs in <c>$CODEX_HOME/cap_sid</c>; ours is derived
/// from a SHA-256 of the workspace's canonical key and its set of writable roots, so the same workspace and roots
/// always get the same SID (ACL entries from an earlier run stay valid), a different folder or a changed root set
/// gets a different SID (grants left by another policy do not apply), and a reviewer can recompute it.
/// Read-only runs get a SID of their own that is never granted anything, so no earlier grant lets them write.
/// </summary>
public static class WindowsCapabilitySid
{
    private const string Domain = "CodexSandbox workspace capability v2\n";
    private const string ReadOnlyDomain = "CodexSandbox read-only capability v2\n";

    /// <param name="writableRoots">The roots granted to the SID; their order and spelling do not matter.</param>
    public static string ForWorkspace(string workspacePath, IEnumerable<string>? writableRoots = null)
    {
        var roots = (writableRoots ?? []).Select(WindowsPath.CanonicalKey).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return FromHash(Domain + WindowsPath.CanonicalKey(workspacePath) + "\n" + string.Join("\n", roots));
    }

    public static string ForReadOnly(string workspacePath) => FromHash(ReadOnlyDomain + WindowsPath.CanonicalKey(workspacePath));

    private static string FromHash(string text)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        var sub = new uint[4];
        for (var i = 0; i < 4; i++) sub[i] = BitConverter.ToUInt32(hash, i * 4);
        return $"S-1-5-21-{sub[0]}-{sub[1]}-{sub[2]}-{sub[3]}";
    }
}
