extern alias engine;

using System.Globalization;
using engine::CodexSandbox.Engine.Backends.Linux;
using engine::CodexSandbox.LauncherContract;
using EngineRunner = engine::CodexSandbox.Engine.Execution.ProcessRunner;
using EngineSpec = engine::CodexSandbox.Engine.Execution.ProcessSpec;

namespace CodexSandbox.Launcher.Tests.Status;

/// <summary>
/// --status-fd: the launcher reports what it applied right before exec, or why it refused, and the engine's reader
/// (LauncherStatus) understands it. The descriptor is close-on-exec, so it ends at the exec and never reaches the command.
/// </summary>
[Collection(LauncherCollection.Name)]
public sealed class StatusRecordTests(LauncherFixture f)
{
    /// <summary>Runs the launcher with its status descriptor 3 on a file (through a shell, which opens it without
    /// close-on-exec as any caller might), and returns the outcome and the record.</summary>
    private (ProcessResult Result, LauncherStatus? Status, string Record) Run(Scratch s, params string[] args) =>
        RunVia(s, [f.Launcher], args);

    private (ProcessResult Result, LauncherStatus? Status, string Record) RunVia(Scratch s, string[] prefix, string[] args)
    {
        string file = s.InOutside("status-" + Guid.NewGuid().ToString("N")[..8]);
        var r = ProcessRunner.Run("/bin/sh", ["-c", "f=$1; shift; exec \"$@\" 3>\"$f\"", "sh", file, .. prefix, "--status-fd", "3", .. args]);
        string record = File.Exists(file) ? File.ReadAllText(file) : "";
        return (r, LauncherStatus.Parse(record), record);
    }

    private int KernelAbi()
    {
        var probe = LauncherProbe.Parse(f.Run("--probe").Stdout);
        Assert.NotNull(probe);
        return probe.LandlockAbi;
    }

    [Fact]
    public void AnAppliedLandlockRulesetIsReportedWithItsAbiAndRules()
    {
        using var s = new Scratch();
        var (r, status, record) = Run(s, "--mode", "workspace-write", "--rw", s.Workspace, "--cpu-seconds", "5", "--open-files", "64",
            "--", "sh", "-c", "echo ran");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("ran\n", r.Stdout);
        Assert.NotNull(status);
        Assert.True(status.Executed, record);
        Assert.True(status.Landlock);
        Assert.Equal(KernelAbi(), status.LandlockAbi);
        Assert.True(status.LandlockRules > 0);
        Assert.Equal(status.LandlockAbi >= 4, status.LandlockNetwork);
        Assert.Equal(status.LandlockAbi >= 6, status.LandlockScope);
        Assert.True(status.Seccomp);
        Assert.Equal(LauncherNetworkMode.Off, status.SeccompNetwork);
        Assert.False(status.SeccompMetadata); // workspace-write leaves metadata calls to Landlock
        Assert.True(status.NoNewPrivileges && status.Capabilities && status.NewSession && status.Descriptors);
        Assert.Equal(Environment.UserName == "root", status.BoundingSet);
        Assert.Equal(0UL, status.Limits[StatusKey.RlimitCore]);
        Assert.Equal(5UL, status.Limits[StatusKey.RlimitCpu]);
        Assert.Equal(64UL, status.Limits[StatusKey.RlimitOpenFiles]);
        Assert.False(status.Supervised);
        Assert.StartsWith("format=1\n", record);
    }

    [Fact]
    public void AReadLimitIsReportedWithTheReadablePathsThatExisted()
    {
        using var s = new Scratch();
        var (r, status, record) = Run(s, "--read-limit", "--readable", "/usr", "--readable", "/bin", "--readable", "/lib", "--readable", "/lib64",
            "--readable", s.Workspace, "--readable", s.InWorkspace("missing"), "--", "/bin/sh", "-c", "echo ran");
        Assert.Equal("ran\n", r.Stdout);
        Assert.NotNull(status);
        Assert.True(status.ReadLimit, record);
        Assert.Equal(new[] { "/usr", "/bin", "/lib", "/lib64", s.Workspace }.Count(Directory.Exists), status.ReadableRoots);
        var (_, unlimited, _) = Run(s, "--", "/bin/sh", "-c", "true");
        Assert.False(unlimited!.ReadLimit);
        Assert.Equal(0, unlimited.ReadableRoots);
    }

    [Fact]
    public void AReadOnlyRunReportsTheMetadataFilterAndTheAllowlistItsNetworkRules()
    {
        using var s = new Scratch();
        var readOnly = Run(s, "--", "true").Status!;
        Assert.True(readOnly.SeccompMetadata);
        Assert.False(readOnly.NoUnixSockets);
        var allowlist = Run(s, "--network", "allowlist", "--allow-tcp-connect", "443", "--", "true").Status!;
        Assert.Equal(LauncherNetworkMode.Allowlist, allowlist.SeccompNetwork);
        Assert.True(allowlist.LandlockNetwork);
        Assert.True(allowlist.NoUnixSockets);
        var on = Run(s, "--network", "on", "--no-unix-sockets", "--", "true").Status!;
        Assert.Equal(LauncherNetworkMode.On, on.SeccompNetwork);
        Assert.False(on.LandlockNetwork);
        Assert.True(on.NoUnixSockets);
    }

    [Fact]
    public void AMissingProgramIsTheKindProgramNotFound()
    {
        using var s = new Scratch();
        var (r, status, _) = Run(s, "--", "no-such-program-xyz");
        Assert.Equal(127, r.ExitCode);
        Assert.False(status!.Executed);
        Assert.Equal(LaunchErrorKind.ProgramNotFound, status.Error);
        Assert.Equal("no-such-program-xyz: command not found", status.Message);
        Assert.Equal("codex-linux-sandbox: no-such-program-xyz: command not found\n", r.Stderr); // the line for people stays

        var (path, pathStatus, _) = Run(s, "--", s.InWorkspace("nope"));
        Assert.Equal(127, path.ExitCode);
        Assert.Equal(LaunchErrorKind.ProgramNotFound, pathStatus!.Error);
    }

    [Fact]
    public void AFileThatCannotBeExecutedIsTheKindCannotExecute()
    {
        using var s = new Scratch();
        File.WriteAllText(s.InWorkspace("plain"), "echo hi\n");
        var (r, status, _) = Run(s, "--", s.InWorkspace("plain"));
        Assert.Equal(126, r.ExitCode);
        Assert.Equal(LaunchErrorKind.CannotExecute, status!.Error);
    }

    [Fact]
    public void AnExecThatFailsAfterTheRecordAppendsTheRefusal()
    {
        // The program is found before any restriction, but Landlock denies executing it under --deny: the exec record
        // is already written, and the refusal after it is what counts.
        using var s = new Scratch();
        string script = s.InOutside("script");
        File.WriteAllText(script, "#!/bin/sh\necho ran\n");
        File.SetUnixFileMode(script, (UnixFileMode)0x1ED);
        var (r, status, record) = Run(s, "--deny", s.Outside, "--", script);
        Assert.Equal(126, r.ExitCode);
        Assert.Contains("outcome=exec\n", record);
        Assert.False(status!.Executed);
        Assert.Equal(LaunchErrorKind.CannotExecute, status.Error);
        Assert.Contains("Permission denied", status.Message);
        Assert.True(status.Landlock);
    }

    [Theory]
    [InlineData("--mode", "sideways", "--", "true")]
    [InlineData("--rw", "/tmp", "--", "true")]
    [InlineData("--allow-tcp-connect", "80", "--", "true")]
    [InlineData("--")]
    public void AUsageErrorIsTheKindUsage(params string[] args)
    {
        using var s = new Scratch();
        var (r, status, _) = Run(s, args);
        Assert.Equal(125, r.ExitCode);
        Assert.Equal(LaunchErrorKind.Usage, status!.Error);
        Assert.Equal(r.Stderr["codex-linux-sandbox: ".Length..].TrimEnd('\n'), status.Message);
    }

    [Fact]
    public void ADescriptorThatIsNotOpenMeansNoRecordAndTheRunGoesOn()
    {
        // A plan shown by -WhatIf, run by hand from a shell: nobody reads a record there.
        var r = f.Run("--status-fd", "57", "--", "sh", "-c", "echo ran");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("ran\n", r.Stdout);
        Assert.Equal("", r.Stderr);
    }

    [Fact]
    public void AWorkingDirectoryThatCannotBeEnteredIsItsOwnKind()
    {
        using var s = new Scratch();
        var (r, status, _) = Run(s, "--chdir", s.InWorkspace("missing"), "--", "true");
        Assert.Equal(125, r.ExitCode);
        Assert.Equal(LaunchErrorKind.WorkingDirectory, status!.Error);
    }

    [Fact]
    public void WithoutLandlockInTheKernelTheRecordSaysItWasNotApplied()
    {
        // tryit makes the three Landlock calls fail with ENOSYS, as a kernel without Landlock (or an older container
        // seccomp profile) does.
        using var s = new Scratch();
        string[] noLandlock = [f.TryIt, "without-landlock", f.Launcher];
        var (allowed, status, record) = RunVia(s, noLandlock, ["--allow-missing-landlock", "--", "sh", "-c", "echo ran"]);
        Assert.Equal(0, allowed.ExitCode);
        Assert.Equal("ran\n", allowed.Stdout);
        Assert.True(status!.Executed, record);
        Assert.False(status.Landlock);
        Assert.Equal(0, status.LandlockAbi);
        Assert.Equal(0, status.LandlockRules);
        Assert.True(status.Seccomp);

        var (refused, refusal, _) = RunVia(s, noLandlock, ["--", "true"]);
        Assert.Equal(125, refused.ExitCode);
        Assert.Equal(LaunchErrorKind.LandlockUnavailable, refusal!.Error);
        var (denied, deniedStatus, _) = RunVia(s, noLandlock, ["--allow-missing-landlock", "--deny", s.Outside, "--", "true"]);
        Assert.Equal(125, denied.ExitCode);
        Assert.Equal(LaunchErrorKind.LandlockUnavailable, deniedStatus!.Error);
    }

    [Fact]
    public void UnderASupervisorTheRecordSaysSoAndTheCommandHoldsNoStatusDescriptor()
    {
        using var s = new Scratch();
        string file = s.InOutside("status");
        // Descriptor 9 outside; the supervised copy gets its own number. The command lists the descriptors of its shell.
        var r = ProcessRunner.Run("/bin/sh", ["-c", $"exec \"$0\" --status-fd 9 --supervise -- sh -c 'ls /proc/$$/fd' 9>'{file}'", f.Launcher]);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(["0", "1", "2"], r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var status = LauncherStatus.Parse(File.ReadAllText(file))!;
        Assert.True(status.Executed);
        Assert.True(status.Supervised);
        Assert.True(status.Landlock);
    }

    [Theory]
    [InlineData(false), InlineData(true)]
    public void EndOfFileComesAtTheExecNotAtTheEnd(bool supervise)
    {
        // The status pipe's reader sees end-of-file as soon as the command is exec'd, while the command still runs.
        string options = supervise ? "--supervise " : "";
        string script = "start=$(date +%s%N); \"$0\" --status-fd 3 " + options + "-- sleep 5 3>&1 >/dev/null 2>&1 | " +
                        "{ cat; echo \"eof_after_ms=$(( ($(date +%s%N) - start) / 1000000 ))\"; }";
        var r = ProcessRunner.Run("/bin/bash", ["-c", script, f.Launcher]);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("outcome=exec", lines[^2]);
        int eofAfter = int.Parse(lines[^1].Split('=')[1], CultureInfo.InvariantCulture);
        Assert.True(eofAfter < 4000, $"end-of-file after {eofAfter} ms");
    }

    [Fact]
    public void TheEnginesRunnerReadsTheRecordThroughBubblewrap()
    {
        using var s = new Scratch();
        var outcome = EngineRunner.Run(new EngineSpec
        {
            Program = "/usr/bin/bwrap",
            Arguments = [.. BwrapProbe.BaseArguments, "--unshare-net", "--", f.Launcher, LauncherOption.StatusFd, "3", LauncherOption.Mode,
                LauncherValue.Spell(LauncherSandboxMode.ReadOnly), LauncherOption.EndOfOptions, "sh", "-c", "ls /proc/$$/fd"],
            WorkingDirectory = s.Workspace,
            Environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" },
            Timeout = TimeSpan.FromSeconds(60),
            StatusDescriptor = LauncherStatus.Descriptor,
        }, null, CancellationToken.None);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(["0", "1", "2"], outcome.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var status = LauncherStatus.Parse(outcome.Status)!;
        Assert.True(status.Executed, outcome.Status);
        Assert.True(status.Landlock);
        Assert.False(status.BoundingSet); // root of a user namespace without CAP_SETPCAP: nothing to drop
    }
}
