/* tryit: attempts one operation and reports the outcome, for the launcher's escape tests.
   Prints "ok" (exit 0) or the errno name, optionally prefixed by the failing step (exit 1). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static int fail(const char *step) {
    const char *name = strerrorname_np(errno);
    if (step) printf("%s: %s\n", step, name ? name : "?"); else printf("%s\n", name ? name : "?");
    return 1;
}
static int ok(void) { puts("ok"); return 0; }

static int family_of(const char *s) {
    if (!strcmp(s, "unix")) return AF_UNIX;
    if (!strcmp(s, "inet")) return AF_INET;
    if (!strcmp(s, "inet6")) return AF_INET6;
    if (!strcmp(s, "netlink")) return AF_NETLINK;
    if (!strcmp(s, "packet")) return AF_PACKET;
    return -1;
}
static int type_of(const char *s) {
    if (!strcmp(s, "stream")) return SOCK_STREAM;
    if (!strcmp(s, "dgram")) return SOCK_DGRAM;
    if (!strcmp(s, "raw")) return SOCK_RAW;
    return -1;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: tryit OP ARGS\n"); return 2; }
    const char *op = argv[1];
    setvbuf(stdout, NULL, _IONBF, 0);

    if (!strcmp(op, "socket") && argc == 4) {
        int proto = family_of(argv[2]) == AF_INET && type_of(argv[3]) == SOCK_RAW ? IPPROTO_ICMP : 0;
        if (socket(family_of(argv[2]), type_of(argv[3]), proto) < 0) return fail(NULL);
        return ok();
    }
    if (!strcmp(op, "socketpair") && argc == 3) {
        int sv[2];
        if (socketpair(AF_UNIX, type_of(argv[2]), 0, sv) < 0) return fail(NULL);
        return ok();
    }
    if (!strcmp(op, "tcp-connect") && argc == 3) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0) return fail("socket");
        struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[2])) };
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) return fail("connect");
        return ok();
    }
    if (!strcmp(op, "tcp-connect-to") && argc == 4) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0) return fail("socket");
        struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[3])) };
        if (inet_pton(AF_INET, argv[2], &a.sin_addr) != 1) { puts("bad address"); return 2; }
        if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) return fail("connect");
        return ok();
    }
    if (!strcmp(op, "tcp-echo") && argc == 5) {
        /* Sends BYTES of a pattern to ADDR:PORT from a child process, half-closes, and checks that
           exactly the same bytes come back before end of stream: "ok N" or "mismatch ...". */
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0) return fail("socket");
        struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[3])) };
        if (inet_pton(AF_INET, argv[2], &a.sin_addr) != 1) { puts("bad address"); return 2; }
        if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) return fail("connect");
        long total = atol(argv[4]);
        pid_t writer = fork();
        if (writer < 0) return fail("fork");
        if (writer == 0) {
            static char block[65536];
            long sent = 0;
            while (sent < total) {
                long chunk = total - sent < (long)sizeof block ? total - sent : (long)sizeof block;
                for (long i = 0; i < chunk; i++) block[i] = (char)((sent + i) % 251);
                ssize_t n = write(fd, block, chunk);
                if (n < 0) _exit(1);
                sent += n;
            }
            shutdown(fd, SHUT_WR);
            _exit(0);
        }
        static char in[65536];
        long got = 0;
        for (;;) {
            ssize_t n = read(fd, in, sizeof in);
            if (n < 0) return fail("read");
            if (n == 0) break;
            for (ssize_t i = 0; i < n; i++)
                if (in[i] != (char)((got + i) % 251)) { printf("mismatch at %ld\n", got + i); return 1; }
            got += n;
        }
        int status;
        waitpid(writer, &status, 0);
        if (got != total) { printf("short %ld of %ld\n", got, total); return 1; }
        printf("ok %ld\n", got);
        return 0;
    }
    if (!strcmp(op, "tcp-listen")) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0) return fail("socket");
        if (listen(fd, 1) < 0) return fail("listen");
        return ok();
    }
    if ((!strcmp(op, "unix-connect") || !strcmp(op, "abstract-connect")) && argc == 3) {
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (fd < 0) return fail("socket");
        struct sockaddr_un a = { .sun_family = AF_UNIX };
        socklen_t len;
        if (!strcmp(op, "abstract-connect")) {
            a.sun_path[0] = 0;
            strncpy(a.sun_path + 1, argv[2], sizeof a.sun_path - 2);
            len = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(argv[2]);
        } else {
            strncpy(a.sun_path, argv[2], sizeof a.sun_path - 1);
            len = sizeof a;
        }
        if (connect(fd, (struct sockaddr *)&a, len) < 0) return fail("connect");
        char buf[16] = {0};
        ssize_t n = read(fd, buf, sizeof buf - 1);
        printf("ok %s\n", n > 0 ? buf : "");
        return 0;
    }
    if (!strcmp(op, "abstract-self") && argc == 3) {
        /* listen on an abstract name, then connect to it from the same process */
        struct sockaddr_un a = { .sun_family = AF_UNIX };
        strncpy(a.sun_path + 1, argv[2], sizeof a.sun_path - 2);
        socklen_t len = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(argv[2]);
        int srv = socket(AF_UNIX, SOCK_STREAM, 0), cli = socket(AF_UNIX, SOCK_STREAM, 0);
        if (srv < 0 || cli < 0) return fail("socket");
        if (bind(srv, (struct sockaddr *)&a, len) < 0) return fail("bind");
        if (listen(srv, 1) < 0) return fail("listen");
        if (connect(cli, (struct sockaddr *)&a, len) < 0) return fail("connect");
        return ok();
    }
    if (!strcmp(op, "io_uring")) {
        char params[120] = {0};
        long fd = syscall(__NR_io_uring_setup, 1, params);
        if (fd < 0) return fail(NULL);
        return ok();
    }
    if (!strcmp(op, "clone3")) {
        long r = syscall(__NR_clone3, NULL, 0);
        if (r < 0) return fail(NULL);
        return ok();
    }
    if (!strcmp(op, "clone-newuser")) {
        long pid = syscall(__NR_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
        if (pid < 0) return fail(NULL);
        if (pid == 0) _exit(0);
        waitpid(pid, NULL, 0);
        return ok();
    }
    if (!strcmp(op, "unshare-user")) {
        if (unshare(CLONE_NEWUSER) < 0) return fail(NULL);
        return ok();
    }
    if (!strcmp(op, "mount") && argc == 3) {
        if (mount("none", argv[2], "tmpfs", 0, NULL) < 0) return fail(NULL);
        umount(argv[2]);
        return ok();
    }
    if (!strcmp(op, "kill") && argc == 4) {
        if (kill(atoi(argv[2]), atoi(argv[3])) < 0) return fail(NULL);
        return ok();
    }
    if (!strcmp(op, "ptrace-attach") && argc == 3) {
        pid_t pid = atoi(argv[2]);
        if (ptrace(PTRACE_ATTACH, pid, 0, 0) < 0) return fail(NULL);
        waitpid(pid, NULL, 0);
        ptrace(PTRACE_DETACH, pid, 0, 0);
        return ok();
    }
    if (!strcmp(op, "proc-mem-write") && argc == 3) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%s/mem", argv[2]);
        if (open(path, O_RDWR) < 0) return fail(NULL);
        return ok();
    }
    if (!strcmp(op, "tiocsti")) {
        char c = 'x';
        if (ioctl(0, TIOCSTI, &c) < 0) return fail(NULL);
        return ok();
    }
    if (!strcmp(op, "chmod") && argc == 3) { if (chmod(argv[2], 0600) < 0) return fail(NULL); return ok(); }
    if (!strcmp(op, "chown") && argc == 3) { if (chown(argv[2], 0, 0) < 0) return fail(NULL); return ok(); }
    if (!strcmp(op, "utime") && argc == 3) {
        struct timeval tv[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
        if (utimes(argv[2], tv) < 0) return fail(NULL);
        return ok();
    }
    if (!strcmp(op, "setxattr") && argc == 3) {
        if (setxattr(argv[2], "user.codextest", "1", 1, 0) < 0) return fail(NULL);
        return ok();
    }
    if (!strcmp(op, "open") && (argc == 4 || argc == 5)) {
        /* open PATH rdonly|wronly|rdwr [nonblock] */
        int flags = !strcmp(argv[3], "wronly") ? O_WRONLY : !strcmp(argv[3], "rdwr") ? O_RDWR : O_RDONLY;
        if (argc == 5 && !strcmp(argv[4], "nonblock")) flags |= O_NONBLOCK;
        if (open(argv[2], flags | O_NOCTTY) < 0) return fail(NULL);
        return ok();
    }
    if (!strcmp(op, "mknod-fifo") && argc == 3) { if (mknod(argv[2], S_IFIFO | 0600, 0) < 0) return fail(NULL); return ok(); }
    if (!strcmp(op, "fork") && argc == 3) {
        int want = atoi(argv[2]), made = 0, err = 0;
        for (int i = 0; i < want; i++) {
            pid_t pid = fork();
            if (pid < 0) { err = errno; break; }
            if (pid == 0) { sleep(3); _exit(0); }
            made++;
        }
        printf("forked=%d %s\n", made, err ? strerrorname_np(err) : "none");
        while (wait(NULL) > 0) {}
        return err ? 1 : 0;
    }
    if (!strcmp(op, "alloc") && argc == 3) {
        size_t bytes = (size_t)atol(argv[2]) << 20;
        char *p = malloc(bytes);
        if (!p) return fail(NULL);
        memset(p, 1, bytes);
        return ok();
    }
    if (!strcmp(op, "spin") && argc == 3) {
        struct timespec start, now;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &start);
        volatile unsigned long x = 0;
        do { for (int i = 0; i < 1000000; i++) x++; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now); }
        while ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 < atol(argv[2]));
        return ok();
    }
    if (!strcmp(op, "write-bytes") && argc == 4) {
        int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) return fail("open");
        static char block[65536];
        long left = atol(argv[3]);
        while (left > 0) {
            ssize_t n = write(fd, block, left < (long)sizeof block ? left : (long)sizeof block);
            if (n < 0) return fail("write");
            left -= n;
        }
        return ok();
    }
    if (!strcmp(op, "open-files") && argc == 3) {
        int want = atoi(argv[2]), opened = 0;
        for (; opened < want; opened++)
            if (open("/dev/null", O_RDONLY) < 0) { printf("opened=%d %s\n", opened, strerrorname_np(errno)); return 1; }
        printf("opened=%d\n", opened);
        return 0;
    }
    if (!strcmp(op, "without-landlock") && argc >= 3) {
        /* Runs PROGRAM as on a kernel without Landlock (or in a container whose seccomp profile predates it):
           landlock_create_ruleset, landlock_add_rule and landlock_restrict_self (444-446 on every
           architecture) fail with ENOSYS. */
        struct sock_filter code[] = {
            BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
            BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 444, 0, 2),
            BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 446, 1, 0),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        };
        struct sock_fprog program = { .len = sizeof code / sizeof code[0], .filter = code };
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return fail("no_new_privs");
        if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) < 0) return fail("seccomp");
        execv(argv[2], argv + 2);
        return fail("execv");
    }
    fprintf(stderr, "tryit: unknown operation %s\n", op);
    return 2;
}
