namespace CodexSandbox.Launcher.Tests;

/// <summary>A per-test temp folder with two siblings: <see cref="Workspace"/> (the only path ever
/// passed as a writable root) and <see cref="Outside"/> (targets that must stay untouched).</summary>
public sealed class Scratch : IDisposable
{
    public string Root { get; }
    public string Workspace { get; }
    public string Outside { get; }

    public Scratch()
    {
        Root = Directory.CreateTempSubdirectory("cslauncher-").FullName;
        File.SetUnixFileMode(Root, (UnixFileMode)0x1ED);
        Workspace = Directory.CreateDirectory(Path.Combine(Root, "ws")).FullName;
        Outside = Directory.CreateDirectory(Path.Combine(Root, "out")).FullName;
    }

    public string InWorkspace(string name) => Path.Combine(Workspace, name);
    public string InOutside(string name) => Path.Combine(Outside, name);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
