using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;
using CodexSandbox.Engine.Execution;
using Microsoft.Win32.SafeHandles;
using static CodexSandbox.Engine.Backends.Windows.NativeMethods;

namespace CodexSandbox.Engine.Backends.Windows;

/// <summary>
/// Carries out a Windows <see cref="LaunchPlan"/> (its <see cref="LaunchHostActions.Windows"/> details): writes the deny-bin stubs, resolves the program in the child's
/// PATH and PATHEXT, applies the ACL entries, creates the restricted token and the job object, starts the command
/// suspended with stdout and stderr on pipes (and only those handles and an empty stdin inherited), puts it in the
/// job and resumes it. Windows only; every decision was made by the pure planner and resolver. Any failed step
/// throws before the command runs. This layer has not been run on Windows by its authors; review it with that in mind.
/// </summary>
[SupportedOSPlatform("windows")]
public static class WindowsSandboxRunner
{
    /// <summary>The exit code reported after Ctrl+C ended the job (a timeout reports <see cref="ProcessOutcome.TimeoutExitCode"/>).</summary>
    public const int CancelledExitCode = 130;

    /// <param name="environment">The environment the policy gives the command, before the plan's <see cref="LaunchPlan.EnvironmentChanges"/>.</param>
    /// <param name="notEnforced">Receives the protections this run had to leave out on this machine, with the reason.</param>
    public static ProcessOutcome Run(LaunchPlan plan, IReadOnlyDictionary<string, string> environment, TimeSpan? timeout, long outputMaxBytes,
        Action<OutputLine>? onLine, CancellationToken cancel, ICollection<string>? notEnforced = null)
    {
        if (!OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("The Windows sandbox runs only on Windows.");
        var details = plan.HostActions.Windows ?? throw new ArgumentException("The plan has no Windows sandbox to set up.", nameof(plan));
        if (details.DenyBinDirectory is { } denyBin) WriteStubs(denyBin);
        var childEnvironment = Merge(environment, plan.EnvironmentChanges);
        IReadOnlyList<string> argv = [plan.Program, .. plan.Arguments];
        var resolved = WindowsProgramResolver.Resolve(argv[0], childEnvironment, details.WorkingDirectory, File.Exists)
            ?? throw new ProgramNotFoundException(argv[0]);
        var (application, commandLine) = WindowsProgramResolver.StartInfo(resolved, argv, System.Environment.SystemDirectory);
        foreach (var entry in plan.AclPlan ?? [])
        {
            if (entry.Sid == RestrictedTokenPlan.EveryoneSid) continue; // an existing grant, described for review only
            if (!Path.Exists(entry.Path)) continue;
            ApplyAce(entry);
        }

        var envBlock = IntPtr.Zero;
        IntPtr token = IntPtr.Zero, restricted = IntPtr.Zero, job = IntPtr.Zero, capSid = IntPtr.Zero, everyoneSid = IntPtr.Zero, systemSid = IntPtr.Zero;
        IntPtr groups = IntPtr.Zero, user = IntPtr.Zero;
        var attributesReady = false;
        IntPtr stdinRead = IntPtr.Zero, stdoutWrite = IntPtr.Zero, stderrWrite = IntPtr.Zero, attributes = IntPtr.Zero, handleList = IntPtr.Zero;
        SafeFileHandle? stdoutRead = null, stderrRead = null;
        var pi = default(ProcessInformation);
        try
        {
            Check(OpenProcessToken(GetCurrentProcess(), TokenDuplicate | TokenQuery | TokenAssignPrimary | TokenAdjustDefault | TokenAdjustSessionId, out token), "OpenProcessToken");
            Check(ConvertStringSidToSid(details.Token.CapabilitySid, out capSid), "ConvertStringSidToSid");
            Check(ConvertStringSidToSid(RestrictedTokenPlan.EveryoneSid, out everyoneSid), "ConvertStringSidToSid");
            Check(ConvertStringSidToSid(LocalSystemSid, out systemSid), "ConvertStringSidToSid");
            var logonSid = LogonSid(token, out groups);
            var userSid = UserSid(token, out user);
            var sids = new[] { new SidAndAttributes { Sid = capSid }, new SidAndAttributes { Sid = logonSid }, new SidAndAttributes { Sid = everyoneSid } };
            Check(CreateRestrictedToken(token, details.Token.Flags, 0, IntPtr.Zero, 0, IntPtr.Zero, (uint)sids.Length, sids, out restricted), "CreateRestrictedToken");
            // What the command creates (its process, threads, pipes) is open to the user, this run's capability SID and
            // SYSTEM only: the user passes the normal check, the capability SID the write-restricted one. Neither Everyone
            // nor the logon SID is listed, or a sandbox of another workspace (which shares both) could open this one.
            SetDefaultDacl(restricted, [userSid, capSid, systemSid]);

            job = CreateJobObject(IntPtr.Zero, null);
            if (job == IntPtr.Zero) throw new Win32Exception(Marshal.GetLastWin32Error(), "CreateJobObject failed");
            var limits = new JobObjectExtendedLimitInformation();
            limits.BasicLimitInformation.LimitFlags = details.Job.LimitFlags;
            limits.BasicLimitInformation.ActiveProcessLimit = details.Job.ActiveProcessLimit ?? 0;
            limits.BasicLimitInformation.PerJobUserTimeLimit = details.Job.JobUserTimeLimitTicks ?? 0;
            limits.JobMemoryLimit = (UIntPtr)(details.Job.JobMemoryLimitBytes ?? 0);
            Check(SetInformationJobObject(job, JobObjectExtendedLimitInformationClass, ref limits, (uint)Marshal.SizeOf<JobObjectExtendedLimitInformation>()), "SetInformationJobObject");
            // A job with UI limits cannot nest inside another job (AssignProcessToJobObject), and PowerShell often runs
            // in one (CI agents, SSH sessions, terminals): there the UI limits are left out, and the result says so.
            Check(IsProcessInJob(GetCurrentProcess(), IntPtr.Zero, out var callerInJob), "IsProcessInJob");
            if (!callerInJob)
            {
                var ui = new JobObjectBasicUiRestrictionsInfo { UiRestrictionsClass = JobObjectPlan.UiRestrictions };
                Check(SetInformationJobObject(job, JobObjectBasicUiRestrictionsClass, ref ui, (uint)Marshal.SizeOf<JobObjectBasicUiRestrictionsInfo>()), "SetInformationJobObject");
            }
            else notEnforced?.Add("job-ui-limits: PowerShell already runs inside a job object, and a job with UI limits cannot be nested in it");

            // Created not inheritable; only the child's three ends are marked inheritable, just before the start, so a
            // process started meanwhile elsewhere in this PowerShell cannot pick them up. Stdin is NUL: end-of-file at once.
            var plain = new SecurityAttributes { Length = Marshal.SizeOf<SecurityAttributes>(), InheritHandle = false };
            stdinRead = CreateFile("NUL", GenericRead, FileShareRead | FileShareWrite, ref plain, OpenExisting, 0, IntPtr.Zero);
            if (stdinRead == InvalidHandleValue) { stdinRead = IntPtr.Zero; throw new Win32Exception(Marshal.GetLastWin32Error(), "CreateFile(NUL) failed"); }
            stdoutRead = Pipe(ref plain, out stdoutWrite);
            stderrRead = Pipe(ref plain, out stderrWrite);

            // Only these three handles reach the sandbox, whatever else this process has marked inheritable.
            var size = IntPtr.Zero;
            InitializeProcThreadAttributeList(IntPtr.Zero, 1, 0, ref size);
            attributes = Marshal.AllocHGlobal(size);
            Check(InitializeProcThreadAttributeList(attributes, 1, 0, ref size), "InitializeProcThreadAttributeList");
            attributesReady = true;
            handleList = Marshal.AllocHGlobal(3 * IntPtr.Size);
            Marshal.WriteIntPtr(handleList, 0, stdinRead);
            Marshal.WriteIntPtr(handleList, IntPtr.Size, stdoutWrite);
            Marshal.WriteIntPtr(handleList, 2 * IntPtr.Size, stderrWrite);
            Check(UpdateProcThreadAttribute(attributes, 0, ProcThreadAttributeHandleList, handleList, 3 * IntPtr.Size, IntPtr.Zero, IntPtr.Zero), "UpdateProcThreadAttribute");

            envBlock = Marshal.StringToHGlobalUni(EnvironmentBlock(environment, plan.EnvironmentChanges));
            var si = new StartupInfoEx
            {
                StartupInfo = new StartupInfo
                {
                    Cb = Marshal.SizeOf<StartupInfoEx>(),
                    Flags = (int)StartfUseStdHandles,
                    StdInput = stdinRead,
                    StdOutput = stdoutWrite,
                    StdError = stderrWrite,
                },
                AttributeList = attributes,
            };
            var start = DateTimeOffset.Now;
            var clock = Stopwatch.StartNew();
            foreach (var h in new[] { stdinRead, stdoutWrite, stderrWrite }) Check(SetHandleInformation(h, HandleFlagInherit, HandleFlagInherit), "SetHandleInformation");
            // The command line buffer must be writable, hence the StringBuilder. CREATE_NO_WINDOW: the command gets a
            // hidden console of its own instead of PowerShell's, whose input buffer it could otherwise write to.
            Check(CreateProcessAsUser(restricted, application, new StringBuilder(commandLine), IntPtr.Zero, IntPtr.Zero, true,
                CreateSuspended | CreateUnicodeEnvironment | CreateNewProcessGroup | ExtendedStartupInfoPresent | CreateNoWindow,
                envBlock, details.WorkingDirectory, ref si, out pi), "CreateProcessAsUser");
            // Our copies of the child's ends must go, or the readers never see end-of-file.
            CloseAndClear(ref stdinRead);
            CloseAndClear(ref stdoutWrite);
            CloseAndClear(ref stderrWrite);
            if (!AssignProcessToJobObject(job, pi.Process))
            {
                var error = Marshal.GetLastWin32Error();
                TerminateProcess(pi.Process, 1); // still suspended and outside the job: it never ran
                throw new Win32Exception(error, "AssignProcessToJobObject failed");
            }

            var stdout = new OutputCapture(new FileStream(stdoutRead, FileAccess.Read, 1, false), outputMaxBytes, isError: false, onLine);
            var stderr = new OutputCapture(new FileStream(stderrRead, FileAccess.Read, 1, false), outputMaxBytes, isError: true, onLine);
            var readers = new[] { stdout.Start(), stderr.Start() };
            if (ResumeThread(pi.Thread) == uint.MaxValue)
            {
                var error = Marshal.GetLastWin32Error();
                TerminateJobObject(job, 1);
                throw new Win32Exception(error, "ResumeThread failed");
            }

            bool timedOut = false, cancelled = false;
            using (var exited = new ProcessExitHandle(pi.Process))
            {
                var which = WaitHandle.WaitAny([exited, cancel.WaitHandle], timeout is { } t ? (int)Math.Clamp(t.TotalMilliseconds, 0, int.MaxValue) : Timeout.Infinite);
                timedOut = which == WaitHandle.WaitTimeout;
                cancelled = which == 1;
            }
            if (timedOut || cancelled)
            {
                TerminateJobObject(job, (uint)(timedOut ? ProcessOutcome.TimeoutExitCode : CancelledExitCode));
                WaitForSingleObject(pi.Process, 5000);
            }
            // Processes the command left behind in the job may still hold the pipes: give the readers a moment, then end the job.
            if (!Task.WaitAll(readers, TimeSpan.FromSeconds(2)))
            {
                TerminateJobObject(job, 1);
                Task.WaitAll(readers, TimeSpan.FromSeconds(2));
            }
            clock.Stop();
            Check(GetExitCodeProcess(pi.Process, out var code), "GetExitCodeProcess");
            return OutputCapture.Outcome(stdout, stderr, unchecked((int)code), timedOut, cancelled, start, clock.Elapsed);
        }
        finally
        {
            if (pi.Thread != IntPtr.Zero) CloseHandle(pi.Thread);
            if (pi.Process != IntPtr.Zero) CloseHandle(pi.Process);
            if (job != IntPtr.Zero) CloseHandle(job); // kill-on-close ends any process left in the job
            CloseAndClear(ref stdinRead);
            CloseAndClear(ref stdoutWrite);
            CloseAndClear(ref stderrWrite);
            stdoutRead?.Dispose();
            stderrRead?.Dispose();
            if (attributes != IntPtr.Zero)
            {
                if (attributesReady) DeleteProcThreadAttributeList(attributes);
                Marshal.FreeHGlobal(attributes);
            }
            if (handleList != IntPtr.Zero) Marshal.FreeHGlobal(handleList);
            if (restricted != IntPtr.Zero) CloseHandle(restricted);
            if (token != IntPtr.Zero) CloseHandle(token);
            if (envBlock != IntPtr.Zero) Marshal.FreeHGlobal(envBlock);
            if (groups != IntPtr.Zero) Marshal.FreeHGlobal(groups);
            if (user != IntPtr.Zero) Marshal.FreeHGlobal(user);
            if (systemSid != IntPtr.Zero) LocalFree(systemSid);
            if (capSid != IntPtr.Zero) LocalFree(capSid);
            if (everyoneSid != IntPtr.Zero) LocalFree(everyoneSid);
        }
    }

    /// <summary>The environment the child sees: the policy's, with the plan's changes applied, names ignoring case.</summary>
    public static IReadOnlyDictionary<string, string> Merge(IReadOnlyDictionary<string, string> environment, IReadOnlyDictionary<string, string?> changes)
    {
        var merged = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in environment) merged[k] = v;
        foreach (var (k, v) in changes)
        {
            if (v is null) merged.Remove(k);
            else merged[k] = v;
        }
        return merged;
    }

    /// <summary>The Unicode environment block: NAME=value entries sorted ignoring case, each ending in NUL, then a final NUL.</summary>
    public static string EnvironmentBlock(IReadOnlyDictionary<string, string> environment, IReadOnlyDictionary<string, string?> changes)
    {
        var sb = new StringBuilder();
        foreach (var (k, v) in Merge(environment, changes))
        {
            if (k.Length == 0 || k.Contains('=') || k.Contains('\0') || v.Contains('\0')) continue;
            sb.Append(k).Append('=').Append(v).Append('\0');
        }
        return sb.Append('\0').ToString();
    }

    private static SafeFileHandle Pipe(ref SecurityAttributes inherit, out IntPtr childWrite)
    {
        Check(CreatePipe(out var read, out childWrite, ref inherit, 0), "CreatePipe");
        var ours = new SafeFileHandle(read, ownsHandle: true);
        Check(SetHandleInformation(read, HandleFlagInherit, 0), "SetHandleInformation");
        return ours;
    }

    private static void CloseAndClear(ref IntPtr handle)
    {
        if (handle != IntPtr.Zero) CloseHandle(handle);
        handle = IntPtr.Zero;
    }

    /// <summary>Lets a process handle take part in <see cref="WaitHandle.WaitAny(WaitHandle[], int)"/> with the cancellation token; it does not own the handle.</summary>
    private sealed class ProcessExitHandle : WaitHandle
    {
        public ProcessExitHandle(IntPtr process) => SafeWaitHandle = new SafeWaitHandle(process, ownsHandle: false);
    }

    // The folder comes first on PATH with .BAT first in PATHEXT: anything else found in it (say a git.bat planted
    // by an earlier command) is removed, so only the stubs can be found there.
    private static void WriteStubs(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder))
        {
            if (WindowsSandboxEnvironment.DenyBinStubs.ContainsKey(Path.GetFileName(entry))) continue;
            if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
            else File.Delete(entry);
        }
        foreach (var (name, text) in WindowsSandboxEnvironment.DenyBinStubs) File.WriteAllText(Path.Combine(folder, name), text);
    }

    private static void ApplyAce(AclEntry entry)
    {
        Check(ConvertStringSidToSid(entry.Sid, out var sid), "ConvertStringSidToSid");
        IntPtr sd = IntPtr.Zero, newAcl = IntPtr.Zero;
        try
        {
            var rc = GetNamedSecurityInfo(entry.Path, SeFileObject, DaclSecurityInformation, out _, out _, out var dacl, out _, out sd);
            if (rc != 0) throw new Win32Exception((int)rc, $"GetNamedSecurityInfo failed for {entry.Path}");
            var ea = new[]
            {
                new ExplicitAccess
                {
                    AccessPermissions = WindowsAccess.MaskFor(entry.Access),
                    AccessMode = entry.Access == WindowsAccess.DenyWrite ? DenyAccess : GrantAccess,
                    Inheritance = entry.Inheritance == WindowsAccess.FolderInheritance ? ObjectInheritAce | ContainerInheritAce : NoInheritance,
                    Trustee = new Trustee { TrusteeForm = TrusteeIsSid, TrusteeType = TrusteeIsUnknown, Name = sid },
                },
            };
            rc = SetEntriesInAcl(1, ea, dacl, out newAcl);
            if (rc != 0) throw new Win32Exception((int)rc, $"SetEntriesInAcl failed for {entry.Path}");
            rc = SetNamedSecurityInfo(entry.Path, SeFileObject, DaclSecurityInformation, IntPtr.Zero, IntPtr.Zero, newAcl, IntPtr.Zero);
            if (rc != 0) throw new Win32Exception((int)rc, $"SetNamedSecurityInfo failed for {entry.Path}");
        }
        finally
        {
            if (newAcl != IntPtr.Zero) LocalFree(newAcl);
            if (sd != IntPtr.Zero) LocalFree(sd);
            LocalFree(sid);
        }
    }

    // TOKEN_GROUPS: a DWORD count, then SID_AND_ATTRIBUTES entries aligned to a pointer.
    private static IntPtr LogonSid(IntPtr token, out IntPtr buffer)
    {
        GetTokenInformation(token, TokenGroupsClass, IntPtr.Zero, 0, out var size);
        buffer = Marshal.AllocHGlobal((int)size);
        Check(GetTokenInformation(token, TokenGroupsClass, buffer, size, out _), "GetTokenInformation");
        var count = Marshal.ReadInt32(buffer);
        var entrySize = Marshal.SizeOf<SidAndAttributes>();
        for (var i = 0; i < count; i++)
        {
            var group = Marshal.PtrToStructure<SidAndAttributes>(buffer + IntPtr.Size + i * entrySize);
            if ((group.Attributes & SeGroupLogonId) == SeGroupLogonId) return group.Sid;
        }
        throw new InvalidOperationException("The caller's token has no logon SID.");
    }

    // TOKEN_USER: one SID_AND_ATTRIBUTES at the start of the buffer.
    private static IntPtr UserSid(IntPtr token, out IntPtr buffer)
    {
        GetTokenInformation(token, TokenUserClass, IntPtr.Zero, 0, out var size);
        buffer = Marshal.AllocHGlobal((int)size);
        Check(GetTokenInformation(token, TokenUserClass, buffer, size, out _), "GetTokenInformation");
        return Marshal.PtrToStructure<SidAndAttributes>(buffer).Sid;
    }

    // Objects the command creates (pipes, its own process) must be usable under the write-restricted check.
    private static void SetDefaultDacl(IntPtr token, IntPtr[] sids)
    {
        var entries = sids.Select(s => new ExplicitAccess
        {
            AccessPermissions = GenericAll,
            AccessMode = GrantAccess,
            Inheritance = NoInheritance,
            Trustee = new Trustee { TrusteeForm = TrusteeIsSid, TrusteeType = TrusteeIsUnknown, Name = s },
        }).ToArray();
        var rc = SetEntriesInAcl((uint)entries.Length, entries, IntPtr.Zero, out var acl);
        if (rc != 0) throw new Win32Exception((int)rc, "SetEntriesInAcl failed for the default DACL");
        try
        {
            var info = new TokenDefaultDacl { DefaultDacl = acl };
            Check(SetTokenInformation(token, TokenDefaultDaclClass, ref info, (uint)Marshal.SizeOf<TokenDefaultDacl>()), "SetTokenInformation");
        }
        finally
        {
            LocalFree(acl);
        }
    }

    private static void Check(bool ok, string what)
    {
        if (!ok) throw new Win32Exception(Marshal.GetLastWin32Error(), $"{what} failed");
    }
}
