namespace CodexSandbox.Launcher.Cli;

/// <summary>The --help text (UTF-8 literal: printing it allocates nothing and needs no Console).</summary>
internal static class HelpText
{
    public static ReadOnlySpan<byte> Utf8 => """
        Usage: codex-linux-sandbox [OPTION]... [--] PROGRAM [ARG]...
               codex-linux-sandbox --probe
               codex-linux-sandbox --help

        Runs PROGRAM (looked up in PATH like execvp) in place of this process, after applying, in order:
        resource limits, no_new_privs, dropping every capability, parent-death SIGKILL, a new session,
        a Landlock ruleset and a seccomp filter. Options end at "--" or at the first argument that does
        not start with "--". Values may be given as "--opt VALUE" or "--opt=VALUE". Path options are
        resolved (symlinks followed) before any restriction, and access is judged on the path a name
        resolves to, so no symlink leads around a --deny. Landlock rules belong to the files that
        exist at start: under --deny, a file created later directly in a folder that holds a denied
        path (not in a sibling subfolder) is not readable.

        Filesystem:
          --mode read-only|workspace-write   default read-only. Listing directories is allowed
                                             everywhere, reading and executing everywhere but under
                                             --deny; writing only inside --rw roots (workspace-write)
                                             and to /dev/null, /dev/zero, /dev/full, /dev/random,
                                             /dev/urandom, /dev/tty, /dev/pts, /dev/ptmx. read-only also
                                             denies chmod/chown/utime/xattr calls everywhere (seccomp).
          --rw DIR                           writable root (repeatable; workspace-write only; a missing
                                             DIR is skipped). Writable and readable even under --deny;
                                             a --deny path inside it stays unreadable (not unwritable).
          --deny PATH                        PATH and everything beneath it can be neither read nor
                                             executed; listing still works (repeatable; a missing PATH
                                             is ignored; needs Landlock). FIFOs and devices there cannot
                                             be opened at all (for writing only inside a --rw root).
                                             Under --deny /dev the five devices above stay usable, the
                                             terminal (/dev/tty, /dev/pts, /dev/ptmx) does not.
          --ro PATH                          readable and executable even under --deny, except a --deny
                                             path beneath it (repeatable; a missing PATH is skipped)
          --read-limit                       limit reading, listing and executing to the --readable
                                             paths, the --rw roots, the --ro paths and the devices above
                                             (the whole disk stays readable without it; needs Landlock).
                                             PROGRAM itself must lie in one of them to be executed.
          --readable PATH                    with --read-limit: PATH and everything beneath it can be
                                             read, listed and executed, except under --deny (repeatable;
                                             a missing PATH is skipped; a file PATH grants the file)
          --chdir DIR                        change directory first; relative --rw, --ro, --readable and
                                             --deny paths and PROGRAM are resolved after it
          --allow-missing-landlock           run without the filesystem/TCP layer when the kernel has no
                                             Landlock (otherwise exit 125)
        Network:
          --network off|allowlist|on         default off.
                                             off:       socket() only for AF_UNIX (not SOCK_DGRAM);
                                                        connect, bind, listen, accept denied for
                                                        every family.
                                             allowlist: only TCP sockets (AF_INET/AF_INET6), connect
                                                        only to --allow-tcp-connect ports (the
                                                        allowlist proxy's; Landlock ABI >= 4
                                                        required), no bind/listen/accept, no AF_UNIX
                                                        sockets.
                                             on:        unrestricted.
          --allow-tcp-connect PORT           allowed TCP destination port with --network allowlist
                                             (repeatable)
          --no-unix-sockets                  socket(AF_UNIX, ...) fails with EPERM in any --network mode,
                                             so no host unix socket (pathname or abstract) can be
                                             connected to; socketpair still works
          --allow-unix-connect               with --network off: connect() is allowed (socket() still
                                             makes AF_UNIX stream sockets only); with allowlist:
                                             AF_UNIX stream sockets may be made too. For a caller whose
                                             mount namespace shows only the allowed host sockets
          --relay PORT=SOCKETPATH            allowlist: listen on 127.0.0.1:PORT (in the current network
                                             namespace, e.g. bwrap's private one) and forward every
                                             connection to the unix stream socket SOCKETPATH (absolute,
                                             at most 107 bytes); PORT is also an --allow-tcp-connect
                                             port (repeatable). The relay is a separate process started
                                             before the restrictions; it has no capabilities, no files
                                             (Landlock), no TCP connect/bind, AF_UNIX stream sockets
                                             only, no exec; it serves up to 256 connections at once
                                             and exits just after PROGRAM's process (at once with
                                             --supervise or a pid namespace). PROGRAM starts with the
                                             relay as a child process.
        Limits (setrlimit; soft = hard; core dumps are always disabled):
          --cpu-seconds N                    RLIMIT_CPU: SIGXCPU after N CPU seconds, SIGKILL after N+1
          --memory-mb N                      RLIMIT_AS in MiB (address space, not resident memory)
          --max-processes N                  RLIMIT_NPROC: processes of the user (the kernel does not
                                             apply it to uid 0)
          --file-size-mb N                   RLIMIT_FSIZE in MiB (SIGXFSZ beyond it)
          --open-files N                     RLIMIT_NOFILE
        Processes:
          --supervise                        do not become PROGRAM: stay outside the sandbox as a child
                                             subreaper and run the sandbox and PROGRAM in a second copy
                                             of this launcher (same options). When PROGRAM exits, every
                                             process it left behind (daemons, double forks) is SIGKILLed
                                             and reaped, then its status is returned. SIGTERM,
                                             SIGINT, SIGHUP, SIGQUIT, and the death of this process's
                                             parent, kill PROGRAM and all of them the same way (status
                                             128+N); signals ignored by the caller stay ignored. Only
                                             SIGKILL of this process (or its parent's death while
                                             SIGTERM is ignored) leaves them running. For runs without
                                             a pid namespace.
          --controlling-terminal             stdin is a terminal (a pseudo-terminal the caller relays):
                                             right after the new session is made (or when this process
                                             already leads a session without one) it becomes the
                                             session's controlling terminal (TIOCSCTTY), so Ctrl+C and
                                             job control reach PROGRAM. Exit 125 if that fails. TIOCSTI
                                             and TIOCLINUX stay denied.
        Other:
          --status-fd N                      write the status record to descriptor N (3 or more; made
                                             close-on-exec, so the command never holds it; if N is not
                                             open, no record is written): key=value
                                             lines after "format=1". Right before execve: what was
                                             applied (rlimit_NAME=N, no_new_privs, capabilities,
                                             bounding_set, new_session, landlock=0|1, landlock_abi,
                                             landlock_rules, landlock_network, landlock_scope, seccomp,
                                             seccomp_network, seccomp_metadata, no_unix_sockets,
                                             descriptors) and outcome=exec; end-of-file after that means
                                             the exec happened. On refusal: outcome=refused, error=KIND
                                             (Usage, ProgramNotFound, CannotExecute, WorkingDirectory,
                                             LandlockUnavailable, UnsupportedArchitecture, SetupFailed,
                                             RestrictionFailed, ParentExited) and message=TEXT. A key
                                             may repeat; the last one counts.
          --probe                            print a record of key=value lines (format=1) about kernel
                                             support and exit 0
          --help                             print this text and exit 0

        Always denied: ptrace, process_vm_readv/writev, pidfd_getfd, io_uring, mount and the new mount
        API, pivot_root, chroot, setns, unshare, clone with namespace flags, clone3 (ENOSYS, so libc
        falls back to clone), keyctl/add_key/request_key, bpf, perf_event_open, userfaultfd, kexec,
        module loading, ioctl TIOCSTI/TIOCLINUX, 32-bit/x32 syscall ABIs. With Landlock ABI >= 6,
        signals to and abstract unix sockets of processes outside the sandbox are denied too, in
        every network mode.

        A file without a "#!" line is run with /bin/sh, as execvp does. Only stdin, stdout and stderr
        reach PROGRAM: every other inherited descriptor is closed right before exec (close_range).

        Exit status: PROGRAM's own status (this process becomes PROGRAM, or with --supervise passes
        it on), 128+N when PROGRAM is killed by signal N, 125 for a launcher error (one line
        "codex-linux-sandbox: MESSAGE" on stderr; with --supervise also when PROGRAM's processes
        kept appearing faster than they could be stopped), 126 when PROGRAM is found but cannot be
        executed, 127 when it is not found.

        """u8;
}
