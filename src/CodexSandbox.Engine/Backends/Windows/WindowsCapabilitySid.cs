using System.Security.Cryptography;
using System.Text;

namespace CodexSandbox.Engine.Backends.Windows;

/// <summary>
/// The per-workspace capability SID. Codex stores random SIDs in <c>$CODEX_HOME/cap_sid</c>; ours is derived
/// from a SHA-256 of the workspace's canonical key, so the same folder always gets the same SID (ACL entries
/// from an earlier run stay valid), different folders get different SIDs (workspaces cannot write each other),
/// and a reviewer can recompute it.
/// </summary>
public static class WindowsCapabilitySid
{
    private const string Domain = "CodexSandbox workspace capability v1\n";

    public static string ForWorkspace(string workspacePath)
    {
        var key = WindowsPath.CanonicalKey(workspacePath);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(Domain + key));
        var sub = new uint[4];
        for (var i = 0; i < 4; i++) sub[i] = BitConverter.ToUInt32(hash, i * 4);
        return $"S-1-5-21-{sub[0]}-{sub[1]}-{sub[2]}-{sub[3]}";
    }
}
