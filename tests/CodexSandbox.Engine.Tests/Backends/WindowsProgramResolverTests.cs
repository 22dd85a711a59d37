using CodexSandbox.Engine.Backends.Windows;

namespace CodexSandbox.Engine.Tests.Backends;

/// <summary>
/// The Windows program lookup runs in the child's PATH and PATHEXT; the file system is a fixed set of names.
/// Names compare ignoring case, as on NTFS (the found extension is spelled as PATHEXT spells it).
/// </summary>
public class WindowsProgramResolverTests
{
    private static Func<string, bool> Files(params string[] paths)
    {
        var set = new HashSet<string>(paths, StringComparer.OrdinalIgnoreCase);
        return set.Contains;
    }

    private static Dictionary<string, string> Env(string path, string? pathext = null)
    {
        var env = new Dictionary<string, string> { ["Path"] = path };
        if (pathext is not null) env["PATHEXT"] = pathext;
        return env;
    }

    [Fact]
    public void Searches_path_folders_in_order()
    {
        var exists = Files(@"C:\b\tool.exe", @"C:\c\tool.exe");
        Assert.Equal(@"C:\b\tool.exe", WindowsProgramResolver.Resolve("tool", Env(@"C:\a;C:\b;C:\c"), @"C:\w", exists), ignoreCase: true);
    }

    [Fact]
    public void Tries_pathext_in_order_within_one_folder()
    {
        var exists = Files(@"C:\a\tool.cmd", @"C:\a\tool.exe");
        Assert.Equal(@"C:\a\tool.cmd", WindowsProgramResolver.Resolve("tool", Env(@"C:\a", ".CMD;.EXE"), @"C:\w", exists), ignoreCase: true);
        Assert.Equal(@"C:\a\tool.exe", WindowsProgramResolver.Resolve("tool", Env(@"C:\a", ".COM;.EXE;.BAT;.CMD"), @"C:\w", exists), ignoreCase: true);
    }

    [Fact]
    public void Uses_the_default_pathext_when_none_is_set()
    {
        Assert.Equal(@"C:\a\git.exe", WindowsProgramResolver.Resolve("git", Env(@"C:\a"), @"C:\w", Files(@"C:\a\git.exe")), ignoreCase: true);
    }

    [Fact]
    public void An_explicit_extension_is_tried_as_written_first()
    {
        var exists = Files(@"C:\a\python3.11.exe", @"C:\a\run.ps1", @"C:\a\node.exe");
        Assert.Equal(@"C:\a\node.exe", WindowsProgramResolver.Resolve("node.exe", Env(@"C:\a"), @"C:\w", exists), ignoreCase: true);
        Assert.Equal(@"C:\a\python3.11.exe", WindowsProgramResolver.Resolve("python3.11", Env(@"C:\a"), @"C:\w", exists), ignoreCase: true);
        Assert.Equal(@"C:\a\run.ps1", WindowsProgramResolver.Resolve("run.ps1", Env(@"C:\a"), @"C:\w", exists), ignoreCase: true);
    }

    [Fact]
    public void Variable_names_are_matched_ignoring_case()
    {
        var env = new Dictionary<string, string> { ["pAtH"] = @"C:\a", ["pathEXT"] = ".BAT" };
        Assert.Equal(@"C:\a\x.bat", WindowsProgramResolver.Resolve("x", env, @"C:\w", Files(@"C:\a\x.bat", @"C:\a\x.exe")), ignoreCase: true);
    }

    [Fact]
    public void A_relative_path_is_taken_from_the_working_directory_and_not_searched()
    {
        var exists = Files(@"C:\w\bin\tool.exe", @"C:\a\tool.exe");
        Assert.Equal(@"C:\w\bin\tool.exe", WindowsProgramResolver.Resolve(@"bin\tool", Env(@"C:\a"), @"C:\w", exists), ignoreCase: true);
        Assert.Equal(@"C:\w\bin\tool.exe", WindowsProgramResolver.Resolve("./bin/tool.exe", Env(@"C:\a"), @"C:\w", exists), ignoreCase: true);
        Assert.Null(WindowsProgramResolver.Resolve(@".\tool", Env(@"C:\a"), @"C:\w", exists));
    }

    [Fact]
    public void Drive_and_root_qualified_paths()
    {
        var exists = Files(@"D:\tools\x.exe", @"C:\tools\y.exe");
        Assert.Equal(@"D:\tools\x.exe", WindowsProgramResolver.Resolve(@"D:\tools\x", Env(""), @"C:\w", exists), ignoreCase: true);
        Assert.Equal(@"C:\tools\y.exe", WindowsProgramResolver.Resolve(@"\tools\y.exe", Env(""), @"C:\w", exists), ignoreCase: true);
    }

    [Fact]
    public void Missing_programs_and_impossible_names_give_null()
    {
        Assert.Null(WindowsProgramResolver.Resolve("nope", Env(@"C:\a"), @"C:\w", Files(@"C:\a\nope")));
        Assert.Null(WindowsProgramResolver.Resolve("a*b", Env(@"C:\a"), @"C:\w", _ => true));
        Assert.Null(WindowsProgramResolver.Resolve("x", new Dictionary<string, string>(), @"C:\w", Files(@"C:\w\x.exe")));
    }

    [Fact]
    public void Relative_path_entries_are_skipped()
    {
        Assert.Null(WindowsProgramResolver.Resolve("x", Env(@"bin;.\tools"), @"C:\w", Files(@"bin\x.exe", @".\tools\x.exe", @"C:\w\bin\x.exe")));
    }

    [Fact]
    public void With_the_network_off_the_ssh_stub_wins_over_a_later_ssh_exe()
    {
        var policy = new SandboxPolicy
        {
            SandboxMode = SandboxMode.ReadOnly,
            NetworkMode = NetworkMode.Off,
            WorkingDirectory = @"C:\w",
            Environment = new Dictionary<string, string> { ["PATH"] = @"C:\Windows\System32\OpenSSH", ["PATHEXT"] = ".COM;.EXE;.BAT;.CMD" },
        };
        var changes = WindowsSandboxEnvironment.Changes(policy, [], @"C:\Users\u\.codex\.sbx-denybin");
#pragma warning disable CA1416 // a pure helper of the Windows-only runner
        var env = WindowsSandboxRunner.Merge(policy.Environment, changes);
#pragma warning restore CA1416
        var exists = Files(@"C:\Windows\System32\OpenSSH\ssh.exe", @"C:\Users\u\.codex\.sbx-denybin\ssh.bat");
        Assert.Equal(@"C:\Users\u\.codex\.sbx-denybin\ssh.bat", WindowsProgramResolver.Resolve("ssh", env, @"C:\w", exists), ignoreCase: true);
    }

    [Fact]
    public void Executables_start_directly_with_the_argv_as_written()
    {
        var (app, line) = WindowsProgramResolver.StartInfo(@"C:\Program Files\Git\cmd\git.exe", ["git", "commit", "-m", "a \"b\""], @"C:\Windows\System32");
        Assert.Equal(@"C:\Program Files\Git\cmd\git.exe", app);
        Assert.Equal(["git", "commit", "-m", "a \"b\""], WindowsCommandLine.Parse(line));
    }

    [Fact]
    public void Batch_files_run_through_cmd_from_the_system_folder()
    {
        var (app, line) = WindowsProgramResolver.StartInfo(@"C:\Program Files\t\build.cmd", ["build", "release", "x64"], @"C:\Windows\System32");
        Assert.Equal(@"C:\Windows\System32\cmd.exe", app);
        Assert.Equal("cmd.exe /d /e:ON /v:OFF /s /c \"\"C:\\Program Files\\t\\build.cmd\" release x64\"", line);
    }

    [Fact]
    public void The_batch_path_is_always_quoted_so_cmd_cannot_split_it()
    {
        var (_, line) = WindowsProgramResolver.StartInfo(@"C:\w&calc\run.bat", ["run", "a,b", "x=1", ""], @"C:\Windows\System32");
        Assert.Equal("cmd.exe /d /e:ON /v:OFF /s /c \"\"C:\\w&calc\\run.bat\" \"a,b\" \"x=1\" \"\"\"", line);
    }

    [Theory]
    [InlineData("100%")]
    [InlineData("a&b")]
    [InlineData("x\"y")]
    [InlineData("line\nbreak")]
    public void Batch_arguments_cmd_would_reinterpret_are_refused(string argument)
    {
        Assert.Throws<ArgumentException>(() => WindowsProgramResolver.StartInfo(@"C:\t\b.bat", ["b", argument], @"C:\Windows\System32"));
    }

    [Fact]
    public void A_batch_path_cmd_would_expand_is_refused()
    {
        Assert.Throws<ArgumentException>(() => WindowsProgramResolver.StartInfo(@"C:\%TEMP%\b.bat", ["b"], @"C:\Windows\System32"));
    }

    [Fact]
    public void Other_file_types_are_refused_with_the_remedy()
    {
        var e = Assert.Throws<ArgumentException>(() => WindowsProgramResolver.StartInfo(@"C:\a\run.ps1", ["run.ps1"], @"C:\Windows\System32"));
        Assert.Contains("interpreter", e.Message);
    }
}
