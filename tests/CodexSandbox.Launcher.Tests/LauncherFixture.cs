using System.Diagnostics;

namespace CodexSandbox.Launcher.Tests;

/// <summary>Locates the launcher (env CODEXSANDBOX_LAUNCHER, else a one-time NativeAOT publish into a
/// temp folder) and compiles the tryit probe with gcc. Shared by every test class.</summary>
public sealed class LauncherFixture : IDisposable
{
    public string Launcher { get; }
    public string TryIt { get; }
    private readonly string _scratch;

    public LauncherFixture()
    {
        _scratch = Directory.CreateTempSubdirectory("cslauncher-fixture-").FullName;
        // Readable by the unprivileged user some tests switch to.
        File.SetUnixFileMode(_scratch, (UnixFileMode)0x1ED);

        string? prebuilt = Environment.GetEnvironmentVariable("CODEXSANDBOX_LAUNCHER");
        Launcher = !string.IsNullOrEmpty(prebuilt) ? Path.GetFullPath(prebuilt) : Publish();
        if (!File.Exists(Launcher)) throw new FileNotFoundException("launcher binary not found", Launcher);

        TryIt = Path.Combine(_scratch, "tryit");
        var gcc = ProcessRunner.Run("gcc", ["-O1", "-Wall", "-o", TryIt, Path.Combine(AppContext.BaseDirectory, "Probes", "tryit.c")]);
        if (gcc.ExitCode != 0) throw new InvalidOperationException("gcc failed: " + gcc.Stderr);
    }

    private string Publish()
    {
        string dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "CodexSandbox.sln")))
            dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("repository root not found; set CODEXSANDBOX_LAUNCHER");
        string output = Path.Combine(_scratch, "bin");
        string rid = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture ==
            System.Runtime.InteropServices.Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        var publish = ProcessRunner.Run("dotnet",
            ["publish", Path.Combine(dir, "src", "CodexSandbox.Launcher", "CodexSandbox.Launcher.csproj"), "-c", "Release", "-r", rid, "-o", output],
            timeout: TimeSpan.FromMinutes(5));
        if (publish.ExitCode != 0) throw new InvalidOperationException("publish failed: " + publish.Stdout + publish.Stderr);
        return Path.Combine(output, "codex-linux-sandbox");
    }

    /// <summary>Runs the launcher with <paramref name="args"/> (options, then "--" and the command).</summary>
    public ProcessResult Run(params string[] args) => ProcessRunner.Run(Launcher, args);

    public ProcessResult RunWithStdin(string stdinFile, params string[] args) => ProcessRunner.Run(Launcher, args, stdinFile: stdinFile);

    public void Dispose()
    {
        try { Directory.Delete(_scratch, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class LauncherCollection : ICollectionFixture<LauncherFixture>
{
    public const string Name = "launcher";
}
