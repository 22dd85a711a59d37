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
using CodexSandbox.Launcher.Supervise;

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
        try
        {
            // 1. Arguments.
            List<byte[]> rawArgs = CommandLineReader.Read(args);
            LaunchOptions options = ArgumentParser.Parse(rawArgs);
            if (options.Help)
            {
                Diagnostics.WriteAll(Diagnostics.StdOut, HelpText.Utf8);
                return 0;
            }
            if (options.Probe) return CapabilityProbe.Run();
            if (options.Supervise) return Supervisor.Run(rawArgs, options, parent);

            SyscallTable table = SyscallTable.ForCurrentProcess()
                ?? throw LauncherException.Usage("unsupported CPU architecture (x86_64 and aarch64 only)");
            capset = table.Capset;

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
            return e.ExitCode;
        }

        // 3-7. From here on nothing allocates: RLIMIT_AS may already be below what the GC would need.
        if (!limits.Apply()) return LauncherException.LauncherError;
        if (!PrivilegeDrop.Apply(parent, capset)) return LauncherException.LauncherError;
        if (ruleset is not null && !ruleset.Restrict()) return LauncherException.LauncherError;
        if (!filter.Install()) return LauncherException.LauncherError;
        InheritedDescriptors.CloseAll(); // only stdin, stdout and stderr reach PROGRAM
        // The .NET runtime ignores SIGPIPE at start-up and execve keeps ignored signals: give PROGRAM the default a
        // shell would, so `yes | head -1` ends quietly instead of failing on EPIPE.
        Posix.SetDefaultAction(Posix.SIGPIPE);
        return image.Execute();
    }

    private static unsafe void ChangeDirectory(byte[] dir)
    {
        byte[] terminated = [.. dir, 0];
        fixed (byte* p = terminated)
        {
            if (Libc.chdir(p) != 0)
                throw LauncherException.FromErrno(LauncherException.LauncherError, [.. "--chdir "u8, .. dir], Libc.Errno);
        }
    }
}
