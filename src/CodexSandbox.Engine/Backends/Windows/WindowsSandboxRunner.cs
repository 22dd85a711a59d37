using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;
using static CodexSandbox.Engine.Backends.Windows.NativeMethods;

namespace CodexSandbox.Engine.Backends.Windows;

/// <summary>
/// Carries out a <see cref="WindowsLaunchDetails"/>: writes the deny-bin stubs, applies the ACL entries,
/// creates the restricted token and the job object, starts the command suspended, puts it in the job and
/// resumes it. Windows only; every decision was made by the pure planner. The child inherits the caller's
/// standard handles. This layer has not been run on Windows by its authors; review it with that in mind.
/// </summary>
[SupportedOSPlatform("windows")]
public static class WindowsSandboxRunner
{
    /// <summary>Codex's exit code for a timed-out Windows sandbox run.</summary>
    public const int TimeoutExitCode = 128 + 64;

    /// <param name="environment">The environment the policy gives the command, before <see cref="WindowsLaunchDetails.EnvironmentChanges"/>.</param>
    public static int Run(WindowsLaunchDetails details, IReadOnlyDictionary<string, string> environment, TimeSpan? timeout = null)
    {
        if (!OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("The Windows sandbox runs only on Windows.");
        if (details.DenyBinDirectory is { } denyBin) WriteStubs(denyBin);
        foreach (var entry in details.Acl)
        {
            if (entry.Sid == RestrictedTokenPlan.EveryoneSid) continue; // an existing grant, described for review only
            if (!Path.Exists(entry.Path)) continue;
            ApplyAce(entry);
        }

        var envBlock = IntPtr.Zero;
        IntPtr token = IntPtr.Zero, restricted = IntPtr.Zero, job = IntPtr.Zero, capSid = IntPtr.Zero, everyoneSid = IntPtr.Zero, groups = IntPtr.Zero;
        var pi = default(ProcessInformation);
        try
        {
            Check(OpenProcessToken(GetCurrentProcess(), TokenDuplicate | TokenQuery | TokenAssignPrimary | TokenAdjustDefault | TokenAdjustSessionId, out token), "OpenProcessToken");
            Check(ConvertStringSidToSid(details.Token.CapabilitySid, out capSid), "ConvertStringSidToSid");
            Check(ConvertStringSidToSid(RestrictedTokenPlan.EveryoneSid, out everyoneSid), "ConvertStringSidToSid");
            var logonSid = LogonSid(token, out groups);
            var sids = new[] { new SidAndAttributes { Sid = capSid }, new SidAndAttributes { Sid = logonSid }, new SidAndAttributes { Sid = everyoneSid } };
            Check(CreateRestrictedToken(token, details.Token.Flags, 0, IntPtr.Zero, 0, IntPtr.Zero, (uint)sids.Length, sids, out restricted), "CreateRestrictedToken");
            SetDefaultDacl(restricted, [capSid, logonSid, everyoneSid]);

            job = CreateJobObject(IntPtr.Zero, null);
            if (job == IntPtr.Zero) throw new Win32Exception(Marshal.GetLastWin32Error(), "CreateJobObject failed");
            var limits = new JobObjectExtendedLimitInformation();
            limits.BasicLimitInformation.LimitFlags = details.Job.LimitFlags;
            limits.BasicLimitInformation.ActiveProcessLimit = details.Job.ActiveProcessLimit ?? 0;
            limits.BasicLimitInformation.PerJobUserTimeLimit = details.Job.JobUserTimeLimitTicks ?? 0;
            limits.JobMemoryLimit = (UIntPtr)(details.Job.JobMemoryLimitBytes ?? 0);
            Check(SetInformationJobObject(job, JobObjectExtendedLimitInformationClass, ref limits, (uint)Marshal.SizeOf<JobObjectExtendedLimitInformation>()), "SetInformationJobObject");
            var ui = new JobObjectBasicUiRestrictionsInfo { UiRestrictionsClass = JobObjectPlan.UiRestrictions };
            Check(SetInformationJobObject(job, JobObjectBasicUiRestrictionsClass, ref ui, (uint)Marshal.SizeOf<JobObjectBasicUiRestrictionsInfo>()), "SetInformationJobObject");

            envBlock = Marshal.StringToHGlobalUni(EnvironmentBlock(environment, details.EnvironmentChanges));
            var si = new StartupInfo { Cb = Marshal.SizeOf<StartupInfo>() };
            // The command line buffer must be writable, hence the StringBuilder.
            Check(CreateProcessAsUser(restricted, null, new StringBuilder(details.CommandLine), IntPtr.Zero, IntPtr.Zero, true,
                CreateSuspended | CreateUnicodeEnvironment | CreateNewProcessGroup, envBlock, details.WorkingDirectory, ref si, out pi), "CreateProcessAsUser");
            if (!AssignProcessToJobObject(job, pi.Process))
            {
                var error = Marshal.GetLastWin32Error();
                TerminateProcess(pi.Process, 1); // still suspended and outside the job: it never ran
                throw new Win32Exception(error, "AssignProcessToJobObject failed");
            }
            ResumeThread(pi.Thread);
            var wait = WaitForSingleObject(pi.Process, timeout is { } t ? (uint)Math.Clamp(t.TotalMilliseconds, 0, Infinite - 1) : Infinite);
            if (wait == WaitTimeout)
            {
                TerminateJobObject(job, TimeoutExitCode);
                WaitForSingleObject(pi.Process, Infinite);
                return TimeoutExitCode;
            }
            Check(GetExitCodeProcess(pi.Process, out var code), "GetExitCodeProcess");
            return unchecked((int)code);
        }
        finally
        {
            if (pi.Thread != IntPtr.Zero) CloseHandle(pi.Thread);
            if (pi.Process != IntPtr.Zero) CloseHandle(pi.Process);
            if (job != IntPtr.Zero) CloseHandle(job); // kill-on-close ends any process left in the job
            if (restricted != IntPtr.Zero) CloseHandle(restricted);
            if (token != IntPtr.Zero) CloseHandle(token);
            if (envBlock != IntPtr.Zero) Marshal.FreeHGlobal(envBlock);
            if (groups != IntPtr.Zero) Marshal.FreeHGlobal(groups);
            if (capSid != IntPtr.Zero) LocalFree(capSid);
            if (everyoneSid != IntPtr.Zero) LocalFree(everyoneSid);
        }
    }

    /// <summary>The Unicode environment block: NAME=value entries sorted ignoring case, each ending in NUL, then a final NUL.</summary>
    public static string EnvironmentBlock(IReadOnlyDictionary<string, string> environment, IReadOnlyDictionary<string, string?> changes)
    {
        var merged = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in environment) merged[k] = v;
        foreach (var (k, v) in changes)
        {
            if (v is null) merged.Remove(k);
            else merged[k] = v;
        }
        var sb = new StringBuilder();
        foreach (var (k, v) in merged)
        {
            if (k.Length == 0 || k.Contains('=') || k.Contains('\0') || v.Contains('\0')) continue;
            sb.Append(k).Append('=').Append(v).Append('\0');
        }
        return sb.Append('\0').ToString();
    }

    private static void WriteStubs(string folder)
    {
        Directory.CreateDirectory(folder);
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
