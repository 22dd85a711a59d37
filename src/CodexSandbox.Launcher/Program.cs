using CodexSandbox.Launcher.Cli;
using CodexSandbox.Launcher.Exec;
using CodexSandbox.Launcher.Landlock;
using CodexSandbox.Launcher.Limits;
using CodexSandbox.Launcher.Native;
using CodexSandbox.Launcher.Output;
using CodexSandbox.Launcher.Privileges;
using CodexSandbox.Launcher.Probe;
using CodexSandbox.Launcher.Relay;
using CodexSandbox.Launcher.Seccomp;
using CodexSandbox.Launcher.Status;
using CodexSandbox.Launcher.Supervise;
using CodexSandbox.LauncherContract;

namespace CodexSandbox.Launcher;

/// <summary>codex-linux-sandbox entry point. Everything runs on the main thread, whose restrictions
/// the exec'd program inherits.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        int parent = Libc.getppid();
        if (args.Length > 0 && args[0] == "--relay-process") return RelayProcess.Run(args, parent);
        ExecImage image;
        ResourceLimits limits;
        LandlockRuleset? ruleset;
        SeccompFilter filter;
        nint capset;
        bool controllingTerminal;
        try
        {
            // 1. Arguments; a usage error is reported on --status-fd too when that came before it.
            List<byte[]> rawArgs = CommandLineReader.Read(args);
            var options = new LaunchOptions();
            LauncherException? usage = null;
            try { ArgumentParser.Parse(rawArgs, options); }
            catch (LauncherException e) { usage = e; }
            if (options.StatusFd is { } statusFd) StatusReport.Open(statusFd);
            if (usage is not null) throw usage;
            if (options.Help)
            {
                Diagnostics.WriteAll(Diagnostics.StdOut, HelpText.Utf8);
                return 0;
            }
            if (options.Probe) return CapabilityProbe.Run();
            if (options.Supervise) return Supervisor.Run(rawArgs, options, parent);

            SyscallTable table = SyscallTable.ForCurrentProcess()
                ?? throw LauncherException.Failure(LaunchErrorKind.UnsupportedArchitecture, "unsupported CPU architecture (x86_64 and aarch64 only)");
            capset = table.Capset;
            controllingTerminal = options.ControllingTerminal;

            // 2. Everything that allocates or touches the filesystem, before any restriction.
            if (options.WorkingDirectory is { } dir) ChangeDirectory(dir);
            byte[] path = ProgramResolver.Resolve(options.Command[0]);
            image = new ExecImage(path, options.Command);
            ruleset = LandlockRuleset.Create(options);
            filter = new SeccompFilter(table, options);
            limits = new ResourceLimits(options);
            InheritedDescriptors.Prepare();
            if (options.Relays.Count > 0) RelayStarter.Start(options);
        }
        catch (LauncherException e)
        {
            Diagnostics.Error(e.Utf8Message);
            StatusReport.Refused(e.Kind);
            return e.ExitCode;
        }

        // 3-7. From here on nothing allocates: RLIMIT_AS may already be below what the GC would need.
        if (!limits.Apply()) return Refuse(LaunchErrorKind.RestrictionFailed);
        if (!PrivilegeDrop.Apply(parent, capset, controllingTerminal, out bool boundingSetDropped, out bool newSession)) return Refuse(LaunchErrorKind.RestrictionFailed);
        if (ruleset is not null && !ruleset.Restrict()) return Refuse(LaunchErrorKind.RestrictionFailed);
        if (!filter.Install()) return Refuse(LaunchErrorKind.RestrictionFailed);
        InheritedDescriptors.CloseAll(StatusReport.Descriptor); // only stdin, stdout and stderr reach PROGRAM
        StatusReport.Exec(ruleset, filter, limits, boundingSetDropped, newSession);
        // The .NET runtime ignores SIGPIPE at start-up and execve keeps ignored signals: give PROGRAM the default a
        // shell would, so `yes | head -1` ends quietly instead of failing on EPIPE. (After the record: a reader that
        // went away must not kill this process before it can exec.)
        Posix.SetDefaultAction(Posix.SIGPIPE);
        return Refuse(image.Execute());
    }

    /// <summary>The refusal record for a failure already printed on stderr; returns its exit code.</summary>
    private static int Refuse(LaunchErrorKind kind)
    {
        StatusReport.Refused(kind);
        return LauncherExitCode.For(kind);
    }

    private static unsafe void ChangeDirectory(byte[] dir)
    {
        byte[] terminated = [.. dir, 0];
        fixed (byte* p = terminated)
        {
            if (Libc.chdir(p) != 0)
                throw LauncherException.FromErrno(LaunchErrorKind.WorkingDirectory, [.. Ascii.Bytes(LauncherOption.ChangeDirectory), (byte)' ', .. dir], Libc.Errno);
        }
    }
}
