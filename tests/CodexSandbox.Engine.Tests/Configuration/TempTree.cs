using CodexSandbox.Engine.Configuration;

namespace CodexSandbox.Engine.Tests.Configuration;

/// <summary>A throwaway folder tree with a Codex home, a system layer and a project, removed after the test.</summary>
public sealed class TempTree : IDisposable
{
    public TempTree()
    {
        Root = Path.Combine(Path.GetTempPath(), "cxsb-t-" + Guid.NewGuid().ToString("n")[..10]);
        Directory.CreateDirectory(Root);
        Root = PathUtil.Canonical(Root);
        CodexHome = Dir("home/.codex");
        SystemDir = Dir("etc-codex");
        Project = Dir("work/proj");
    }

    public string Root { get; }
    public string CodexHome { get; }
    public string SystemDir { get; }
    public string Project { get; }

    public string Dir(string relative) => Directory.CreateDirectory(Path.Combine(Root, relative)).FullName;

    public string Write(string relative, string text)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public string UserConfig(string text) => Write("home/.codex/config.toml", text);
    public string SystemConfig(string text) => Write("etc-codex/config.toml", text);

    public void Trust(string level = "trusted", string? path = null) =>
        File.AppendAllText(Path.Combine(CodexHome, "config.toml"), $"\n[projects.\"{path ?? Project}\"]\ntrust_level = \"{level}\"\n");

    public ConfigRequest Request(string? cwd = null, string? configPath = null, string? profile = null) => new()
    {
        Profile = profile,
        WorkingDirectory = cwd ?? Project,
        CodexHome = CodexHome,
        SystemDirectory = SystemDir,
        ConfigPath = configPath,
        Home = Path.Combine(Root, "home"),
    };

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
