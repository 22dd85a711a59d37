namespace CodexSandbox.Engine.Backends.Windows;

/// <summary>Inputs of the Windows plan that do not come from the policy.</summary>
public sealed class WindowsPlannerOptions
{
    /// <summary>Loopback ports of the allowlist proxy; the first one is put in the proxy variables.</summary>
    public IReadOnlyList<int> ProxyPorts { get; init; } = [];

    /// <summary>Lists a folder, to find every spelling of a protected name; the real file system by default.</summary>
    public Func<string, IReadOnlyList<DirectoryEntry>?> ListFolder { get; init; } = DirectoryEntry.List;

    /// <summary>The folder of the ssh/scp stubs put first on PATH when the network is off; <c>&lt;CodexHome&gt;\.sbx-denybin</c> by default.</summary>
    public string? DenyBinDirectory { get; init; }
}
