using CodexSandbox.Engine.Configuration;

namespace CodexSandbox.Engine.Rules;

/// <summary>The folders whose <c>rules/*.rules</c> apply: system, user, and the trusted project's <c>.codex</c> folders, lowest first.</summary>
public static class RuleLayers
{
    public static IReadOnlyList<string> Directories(LoadedConfig config)
    {
        var request = config.Request;
        var dirs = new List<string> { request.SystemDirectory };
        dirs.Add(request.ConfigPath is { } explicitPath ? Path.GetDirectoryName(Path.GetFullPath(explicitPath))! : request.CodexHome);
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
