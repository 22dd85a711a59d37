namespace CodexSandbox.Engine.Backends.Windows;

/// <summary>
/// The environment changes of a Windows sandboxed run (codex-behaviour.md §10.2 steps 5-6). The network part
/// only asks tools to stay offline; a program that ignores these variables still reaches the network.
/// </summary>
public static class WindowsSandboxEnvironment
{
    public const string DeadProxy = "http://127.0.0.1:9";

    /// <summary>The stubs placed in the deny-bin folder: ssh and scp that fail at once.</summary>
    public static readonly IReadOnlyDictionary<string, string> DenyBinStubs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["ssh.bat"] = "@echo off\r\nexit /b 1\r\n",
        ["ssh.cmd"] = "@echo off\r\nexit /b 1\r\n",
        ["scp.bat"] = "@echo off\r\nexit /b 1\r\n",
        ["scp.cmd"] = "@echo off\r\nexit /b 1\r\n",
    };

    public static Dictionary<string, string?> Changes(SandboxPolicy policy, IReadOnlyList<int> proxyPorts, string denyBinDirectory)
    {
        // Windows variable names are case-insensitive.
        var current = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in policy.Environment) current[k] = v;
        var changes = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) { ["CODEX_SANDBOX"] = "windows" };

        foreach (var (k, v) in current)
        {
            if (v == "/dev/null") changes[k] = "NUL";
        }
        changes["GIT_PAGER"] = "more.com";
        changes["PAGER"] = "more.com";
        changes["LESS"] = "";

        if (policy.NetworkMode == NetworkMode.Allowlist && proxyPorts.Count > 0)
        {
            foreach (var (k, v) in Network.ProxyEnvironment.Build(proxyPorts[0], proxyPorts.Count > 1 ? proxyPorts[1] : proxyPorts[0])) changes[k] = v;
        }
        else if (policy.NetworkMode != NetworkMode.On)
        {
            changes["CODEX_SANDBOX_NETWORK_DISABLED"] = "1";
            changes["SBX_NONET_ACTIVE"] = "1";
            void SetIfAbsent(string key, string value)
            {
                if (!current.ContainsKey(key)) changes[key] = value;
            }
            SetIfAbsent("HTTP_PROXY", DeadProxy);
            SetIfAbsent("HTTPS_PROXY", DeadProxy);
            SetIfAbsent("ALL_PROXY", DeadProxy);
            SetIfAbsent("NO_PROXY", "localhost,127.0.0.1,::1");
            SetIfAbsent("PIP_NO_INDEX", "1");
            SetIfAbsent("PIP_DISABLE_PIP_VERSION_CHECK", "1");
            SetIfAbsent("NPM_CONFIG_OFFLINE", "true");
            SetIfAbsent("CARGO_NET_OFFLINE", "true");
            SetIfAbsent("GIT_HTTP_PROXY", DeadProxy);
            SetIfAbsent("GIT_HTTPS_PROXY", DeadProxy);
            SetIfAbsent("GIT_SSH_COMMAND", "cmd /c exit 1");
            SetIfAbsent("GIT_ALLOW_PROTOCOLS", "");
            current.TryGetValue("PATH", out var path);
            changes["PATH"] = string.IsNullOrEmpty(path) ? denyBinDirectory : denyBinDirectory + ";" + path;
            current.TryGetValue("PATHEXT", out var pathext);
            changes["PATHEXT"] = BatchFirst(pathext);
        }
        return changes;
    }

    /// <summary>PATHEXT with .BAT and .CMD first, so the ssh/scp stubs win over ssh.exe found later on PATH.</summary>
    public static string BatchFirst(string? pathext)
    {
        var items = (string.IsNullOrEmpty(pathext) ? ".COM;.EXE;.BAT;.CMD" : pathext)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var rest = items.Where(e => !e.Equals(".BAT", StringComparison.OrdinalIgnoreCase) && !e.Equals(".CMD", StringComparison.OrdinalIgnoreCase));
        return string.Join(';', new[] { ".BAT", ".CMD" }.Concat(rest));
    }
}
