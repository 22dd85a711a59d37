using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;

namespace CodexSandbox.Engine.Backends.MacOS;

/// <summary>The per-user cache folder from libc's <c>confstr</c>, macOS only.</summary>
[SupportedOSPlatform("macos")]
internal static class DarwinConfstr
{
    private const int CsDarwinUserCacheDir = 65538; // _CS_DARWIN_USER_CACHE_DIR in <unistd.h>

    [DllImport("libc", EntryPoint = "confstr", SetLastError = true)]
    private static extern nuint Confstr(int name, byte[]? buffer, nuint length);

    public static string? UserCacheDir()
    {
        var size = Confstr(CsDarwinUserCacheDir, null, 0);
        if (size == 0) return null;
        var buffer = new byte[(int)size];
        if (Confstr(CsDarwinUserCacheDir, buffer, size) == 0) return null;
        return Encoding.UTF8.GetString(buffer, 0, Array.IndexOf(buffer, (byte)0) is var n and >= 0 ? n : buffer.Length);
    }
}
