namespace CodexSandbox.LauncherContract;

/// <summary>
/// The keys of the status record the launcher writes to <see cref="LauncherOption.StatusFd"/>: right before execve
/// what it applied (with <see cref="Outcome"/> = <see cref="Exec"/>), or why it refused (<see cref="Refused"/>,
/// <see cref="Error"/>, <see cref="Message"/>). Booleans are <see cref="RecordFormat.Yes"/> or <see cref="RecordFormat.No"/>.
/// Every restriction the launcher was asked for is applied or the launcher refuses; the record adds what depends on
/// the kernel and the caller (the Landlock ABI, the bounding set, the session).
/// </summary>
internal static class StatusKey
{
    /// <summary><see cref="Exec"/> or <see cref="Refused"/>; the last one written counts.</summary>
    public const string Outcome = "outcome";
    public const string Exec = "exec";
    public const string Refused = "refused";
    /// <summary>A <see cref="LaunchErrorKind"/> member name.</summary>
    public const string Error = "error";
    /// <summary>The launcher's one-line message (also printed on stderr).</summary>
    public const string Message = "message";

    /// <summary>Yes when a supervisor outside the sandbox will kill everything the command leaves behind.</summary>
    public const string Supervisor = "supervisor";

    /// <summary>Yes when a Landlock ruleset was enforced; no when the kernel has none (<see cref="LauncherOption.AllowMissingLandlock"/>).</summary>
    public const string Landlock = "landlock";
    /// <summary>The Landlock ABI the ruleset was negotiated to; 0 for none.</summary>
    public const string LandlockAbi = "landlock_abi";
    /// <summary>Rules added to the ruleset (paths and ports).</summary>
    public const string LandlockRules = "landlock_rules";
    /// <summary>Yes when TCP bind and connect are handled (denied but for the allowed ports): ABI 4 and a network that is not on.</summary>
    public const string LandlockNetwork = "landlock_network";
    /// <summary>Yes when signals and abstract unix sockets cannot reach outside (ABI 6).</summary>
    public const string LandlockScope = "landlock_scope";
    /// <summary>Yes when the ruleset limits reading, listing and executing to the readable paths (<see cref="LauncherOption.ReadLimit"/>);
    /// no when the whole disk is readable.</summary>
    public const string ReadLimit = "read_limit";
    /// <summary>With <see cref="ReadLimit"/>: how many <see cref="LauncherOption.ReadablePath"/> paths existed and were granted.</summary>
    public const string ReadableRoots = "readable_roots";

    /// <summary>Yes when the seccomp filter is installed.</summary>
    public const string Seccomp = "seccomp";
    /// <summary>The filter's network part: a <see cref="LauncherNetworkMode"/> spelling.</summary>
    public const string SeccompNetwork = "seccomp_network";
    /// <summary>Yes when chmod, chown, utime and xattr calls are denied (read-only mode).</summary>
    public const string SeccompMetadata = "seccomp_metadata";
    /// <summary>Yes when socket(AF_UNIX, ...) is denied.</summary>
    public const string NoUnixSockets = "no_unix_sockets";

    public const string NoNewPrivileges = "no_new_privs";
    /// <summary>Yes when the effective, permitted, inheritable and ambient sets were cleared.</summary>
    public const string Capabilities = "capabilities";
    /// <summary>Yes when the bounding set was emptied; no when the caller lacked CAP_SETPCAP (it then holds nothing to drop).</summary>
    public const string BoundingSet = "bounding_set";
    /// <summary>Yes when the command runs in a new session without a controlling terminal.</summary>
    public const string NewSession = "new_session";
    /// <summary>Yes when every descriptor but stdin, stdout, stderr (and the close-on-exec status descriptor) was closed.</summary>
    public const string Descriptors = "descriptors";

    /// <summary>Prefix of one line per applied resource limit: <c>rlimit_NAME=SOFT</c>, NAME one of <see cref="RlimitNames"/>.</summary>
    public const string RlimitPrefix = "rlimit_";
    public const string RlimitCore = "core", RlimitCpu = "cpu", RlimitProcesses = "nproc", RlimitFileSize = "fsize",
        RlimitOpenFiles = "nofile", RlimitAddressSpace = "as";
}
