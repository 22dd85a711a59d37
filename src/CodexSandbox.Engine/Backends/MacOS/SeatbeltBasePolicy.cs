namespace CodexSandbox.Engine.Backends.MacOS;

/// <summary>
/// The fixed part of every profile: deny by default, then the process, sysctl, IPC, PTY and preference
/// rules that ordinary tools (shells, Python, Java, OpenMP) need to start. Our wording of the rule set in
/// codex-behaviour.md §8.1; file and network access are added by later sections.
/// </summary>
public static class SeatbeltBasePolicy
{
    public const string Text = """
        (version 1)

        ; CodexSandbox Seatbelt profile. Anything not allowed below is refused.
        (deny default)

        ; Child processes may run, and may signal or inspect only processes of this sandbox.
        (allow process-exec)
        (allow process-fork)
        (allow signal (target same-sandbox))
        (allow process-info* (target same-sandbox))

        ; Writes to /dev/null, the character device only.
        (allow file-write-data
          (require-all (path "/dev/null") (vnode-type CHARACTER-DEVICE)))

        ; Hardware and kernel facts runtimes read to size themselves.
        (allow sysctl-read
          (sysctl-name "hw.activecpu")
          (sysctl-name "hw.busfrequency_compat")
          (sysctl-name "hw.byteorder")
          (sysctl-name "hw.cacheconfig")
          (sysctl-name "hw.cachelinesize_compat")
          (sysctl-name "hw.cpufamily")
          (sysctl-name "hw.cpufrequency")
          (sysctl-name "hw.cpufrequency_compat")
          (sysctl-name "hw.cputype")
          (sysctl-name "hw.l1dcachesize_compat")
          (sysctl-name "hw.l1icachesize_compat")
          (sysctl-name "hw.l2cachesize_compat")
          (sysctl-name "hw.l3cachesize_compat")
          (sysctl-name "hw.logicalcpu")
          (sysctl-name "hw.logicalcpu_max")
          (sysctl-name "hw.machine")
          (sysctl-name "hw.memsize")
          (sysctl-name "hw.model")
          (sysctl-name "hw.ncpu")
          (sysctl-name "hw.nperflevels")
          (sysctl-name "hw.packages")
          (sysctl-name "hw.pagesize")
          (sysctl-name "hw.pagesize_compat")
          (sysctl-name "hw.physicalcpu")
          (sysctl-name "hw.physicalcpu_max")
          (sysctl-name "hw.tbfrequency_compat")
          (sysctl-name "hw.vectorunit")
          (sysctl-name-prefix "hw.optional.arm.")
          (sysctl-name-prefix "hw.optional.armv8_")
          (sysctl-name-prefix "hw.perflevel")
          (sysctl-name "machdep.cpu.brand_string")
          (sysctl-name "kern.argmax")
          (sysctl-name "kern.hostname")
          (sysctl-name "kern.maxfilesperproc")
          (sysctl-name "kern.maxproc")
          (sysctl-name "kern.osproductversion")
          (sysctl-name "kern.osrelease")
          (sysctl-name "kern.ostype")
          (sysctl-name "kern.osvariant_status")
          (sysctl-name "kern.osversion")
          (sysctl-name "kern.secure_kernel")
          (sysctl-name "kern.usrstack64")
          (sysctl-name "kern.version")
          (sysctl-name-prefix "kern.proc.pgrp.")
          (sysctl-name-prefix "kern.proc.pid.")
          (sysctl-name "sysctl.proc_cputype")
          (sysctl-name "vm.loadavg")
          (sysctl-name-prefix "net.routetable."))

        ; The JVM sets this one value.
        (allow sysctl-write (sysctl-name "kern.grade_cputype"))

        (allow iokit-open (iokit-registry-entry-class "RootDomainUserClient"))

        (allow mach-lookup
          (global-name "com.apple.system.opendirectoryd.libinfo")
          (global-name "com.apple.PowerManagement.control"))

        ; POSIX semaphores (Python multiprocessing) and the OpenMP registration segment (PyTorch).
        (allow ipc-posix-sem)
        (allow ipc-posix-shm-read-data ipc-posix-shm-write-create ipc-posix-shm-write-unlink
          (ipc-posix-name-regex #"^/__KMP_REGISTERED_LIB_[0-9]+$"))

        ; Pseudo-terminals for interactive tools.
        (allow pseudo-tty)
        (allow file-read* file-write* file-ioctl (literal "/dev/ptmx"))
        (allow file-read* file-write*
          (require-all (regex #"^/dev/ttys[0-9]+") (extension "com.apple.sandbox.pty")))
        (allow file-ioctl (regex #"^/dev/ttys[0-9]+"))

        ; Reading user preferences; writing them is not allowed.
        (allow ipc-posix-shm-read* (ipc-posix-name-prefix "apple.cfprefs."))
        (allow mach-lookup
          (global-name "com.apple.cfprefsd.daemon")
          (global-name "com.apple.cfprefsd.agent")
          (local-name "com.apple.cfprefsd.agent"))
        (allow user-preference-read)

        """;

    /// <summary>
    /// The services a networked process needs (DNS configuration, TLS trust), added whenever any network is allowed.
    /// No write to the user's cache folder (DARWIN_USER_CACHE_DIR): Codex removed it as a way to poison caches that
    /// programs outside the sandbox trust (#21443); TLS verification works through trustd without it.
    /// </summary>
    public const string NetworkSupport = """
        ; Services networked programs need: routing socket, DNS configuration, certificate trust.
        (allow system-socket (require-all (socket-domain AF_SYSTEM) (socket-protocol 2)))
        (allow mach-lookup
          (global-name "com.apple.bsd.dirhelper")
          (global-name "com.apple.system.opendirectoryd.membership")
          (global-name "com.apple.SecurityServer")
          (global-name "com.apple.networkd")
          (global-name "com.apple.ocspd")
          (global-name "com.apple.trustd.agent")
          (global-name "com.apple.SystemConfiguration.DNSConfiguration")
          (global-name "com.apple.SystemConfiguration.configd"))
        (allow sysctl-read (sysctl-name-regex #"^net.routetable"))

        """;
}
