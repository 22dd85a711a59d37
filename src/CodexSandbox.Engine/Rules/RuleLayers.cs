using CodexSandbox.Engine.Configuration;

namespace CodexSandbox.Engine.Rules;

/// <summary>The folders whose <c>rules/*.rules</c> apply: system, user, and the trusted project's <c>.codex</c> folders, lowest first.</summary>
public static class RuleLayers
{
    public static IReadOnlyList<string> Directories(LoadedConfig config)
    {
        var request = config.Request;
        // $CODEX_HOME/rules always applies; -ConfigPath replaces only the config file, and its folder's rules come on top.
        var dirs = new List<string> { request.SystemDirectory, request.CodexHome };
        if (request.ConfigPath is { } explicitPath) dirs.Add(Path.GetDirectoryName(Path.GetFullPath(explicitPath))!);
        if (config.Trust?.Value is "trusted")
        {
            var cwd = PathUtil.Normalize(request.WorkingDirectory);
            var chain = new List<string>();
            for (var dir = cwd; dir is not null; dir = Path.GetDirectoryName(dir))
            {
                chain.Add(dir);
                if (config.ProjectRoot is null || dir == config.ProjectRoot) break;
            }
            chain.Reverse();
            dirs.AddRange(chain.Select(d => Path.Combine(d, ".codex")).Where(Directory.Exists));
        }
        return dirs.Distinct(StringComparer.Ordinal).ToList();
    }
}
