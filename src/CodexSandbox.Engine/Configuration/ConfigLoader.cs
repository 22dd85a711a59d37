using System.Collections.Concurrent;

namespace CodexSandbox.Engine.Configuration;

/// <summary>Finds the config layers for a working directory and reads them (codex-behaviour.md §2.4).</summary>
public static class ConfigLoader
{
    private sealed record Cached(long Length, DateTime WriteTime, ConfigFile File);

    // The settings read from each parsed file, per layer and home (and the process's folder, which a relative path in
    // the file resolves against): a warm session checks nothing twice. Keyed by the file object, so they go with it.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ConfigFile, ConcurrentDictionary<(PolicySource, string, string), LayerSettings>> s_settings = new();

    // Parsed files keyed by path and revalidated by size and write time, so a warm session parses nothing.
    private static readonly ConcurrentDictionary<string, Cached> s_cache = new(StringComparer.Ordinal);

    public static LoadedConfig Load(ConfigRequest request)
    {
        var layers = new List<(ConfigLayer, LayerSettings)>();
        var systemFile = Path.Combine(request.SystemDirectory, "config.toml");
        AddIfExists(layers, PolicySource.System, systemFile, request.Home);

        string userFile;
        if (request.ConfigPath is { } explicitPath)
        {
            userFile = PathUtil.Normalize(explicitPath);
            if (!File.Exists(userFile))
            {
                throw new FileNotFoundException($"The config file '{userFile}' does not exist. Check -ConfigPath, or omit it to use $CODEX_HOME/config.toml.", userFile);
            }
        }
        else userFile = Path.Combine(request.CodexHome, "config.toml");
        AddIfExists(layers, PolicySource.User, userFile, request.Home);
        var profileFile = ProfileFiles.Select(request, layers);
        if (profileFile is not null) AddIfExists(layers, PolicySource.User, profileFile, request.Home);

        var cwd = PathUtil.Normalize(request.WorkingDirectory);
        var projectRoot = FindProjectRoot(cwd);
        var trust = FindTrust(layers, cwd, projectRoot);

        var projectFiles = ProjectConfigFiles(cwd, projectRoot)
            .Where(f => !string.Equals(f, PathUtil.Normalize(userFile), StringComparison.Ordinal)
                     && !string.Equals(f, PathUtil.Normalize(systemFile), StringComparison.Ordinal))
            .ToList();
        var skipped = new List<string>();
        if (trust?.Value is "trusted")
        {
            foreach (var f in projectFiles) AddIfExists(layers, PolicySource.Project, f, request.Home);
        }
        else skipped.AddRange(projectFiles);

        return new LoadedConfig(request, layers, projectRoot, trust, skipped)
        {
            ProfileFile = profileFile is not null && File.Exists(profileFile) ? profileFile : null,
            // only ever from the system folder: a user or project folder cannot hold constraints on itself
            Requirements = Requirements.RequirementsReader.Load(request.SystemDirectory, request.Home),
        };
    }

    /// <summary>Reads one file with every check, for Test-SandboxConfig -Path.</summary>
    public static LayerSettings Check(string path, PolicySource source, string home) => LayerReader.Read(Parse(path), source, home);

    public static ConfigFile Parse(string path)
    {
        var info = new FileInfo(path);
        if (s_cache.TryGetValue(path, out var hit) && hit.Length == info.Length && hit.WriteTime == info.LastWriteTimeUtc)
        {
            return hit.File;
        }
        var file = ConfigFile.Load(path);
        s_cache[path] = new Cached(info.Length, info.LastWriteTimeUtc, file);
        return file;
    }

    private static void AddIfExists(List<(ConfigLayer, LayerSettings)> layers, PolicySource source, string path, string home)
    {
        if (!File.Exists(path)) return;
        var file = Parse(path);
        var read = s_settings.GetValue(file, static _ => new());
        var settings = read.GetOrAdd((source, home, System.Environment.CurrentDirectory), key => LayerReader.Read(file, key.Item1, key.Item2));
        layers.Add((new ConfigLayer(source, file), settings));
    }

    /// <summary>The nearest folder at or above <paramref name="cwd"/> that holds <c>.git</c> (a folder or a worktree's file).</summary>
    public static string? FindProjectRoot(string cwd)
    {
        for (var dir = cwd; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            var marker = Path.Combine(dir, ".git");
            if (Directory.Exists(marker) || File.Exists(marker)) return dir;
        }
        return null;
    }

    /// <summary><c>.codex/config.toml</c> from the project root down to the working directory, lowest precedence first.</summary>
    private static IEnumerable<string> ProjectConfigFiles(string cwd, string? projectRoot)
    {
        var dirs = new List<string>();
        for (var dir = cwd; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            dirs.Add(dir);
            if (projectRoot is null || dir == projectRoot) break;
        }
        dirs.Reverse();
        return dirs.Select(d => Path.Combine(d, ".codex", "config.toml")).Where(File.Exists);
    }

    // Only the system and user layers may trust a project: a project cannot vouch for itself.
    private static Setting? FindTrust(List<(ConfigLayer Layer, LayerSettings Settings)> layers, string cwd, string? projectRoot)
    {
        var candidates = new List<string> { cwd };
        if (projectRoot is not null && projectRoot != cwd) candidates.Add(projectRoot);
        foreach (var candidate in candidates)
        {
            for (int i = layers.Count - 1; i >= 0; i--)
            {
                if (layers[i].Settings.Trust.TryGetValue(candidate, out var t)) return t;
            }
        }
        return null;
    }
}
