/*
 * exec: execve of a guest program (this one again), in a forked child and in place.
 * Usage: exec WORKDIR [SELF]   SELF is this program's path as the guest sees it (default
 * /proc/self/exe). Checks argv/envp passing, exit status through exec, close-on-exec, signal
 * dispositions (ignored stays ignored, handled resets to default), the blocked mask and the pid
 * surviving exec, execve errors (ENOENT, EACCES, ENOEXEC), a "#!" script whose interpreter is
 * this program, and posix_spawn.
 * Note: qemu-user cannot exec guest binaries without binfmt_misc, so this program's reference
 * output is guest/expected/exec.out rather than a live qemu run.
 */
#include "check.h"
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static const char *self = "/proc/self/exe";

static void on_usr2(int sig) { (void)sig; }

/* modes entered through exec */
static int child_main(int argc, char **argv) {
    const char *mode = argv[1];
    if (!strcmp(mode, "echo")) {
        /* print argv[2..] and the whole (controlled) environment */
        for (int i = 2; i < argc; i++) printf("  child argv[%d]=\"%s\"\n", i, argv[i]);
        for (char **e = environ; *e; e++) printf("  child env %s\n", *e);
        fflush(stdout);
        return 7;
    }
    if (!strcmp(mode, "fds")) {
        int cloexec_fd = atoi(argv[2]), plain_fd = atoi(argv[3]);
        int bad = fcntl(cloexec_fd, F_GETFD) != -1 || errno != EBADF;
        bad |= fcntl(plain_fd, F_GETFD) != 0;
        bad |= write(plain_fd, "kept", 4) != 4;
        return bad ? 1 : 0;
    }
    if (!strcmp(mode, "signals")) {
        struct sigaction sa;
        int bad = 0;
        sigaction(SIGUSR1, NULL, &sa);
        bad |= sa.sa_handler != SIG_IGN;
        sigaction(SIGUSR2, NULL, &sa);
        bad |= (sa.sa_handler != SIG_DFL) << 1;
        sigset_t set;
        sigprocmask(SIG_SETMASK, NULL, &set);
        bad |= (!sigismember(&set, SIGTERM)) << 2;
        bad |= (sigismember(&set, SIGUSR2)) << 3;
        return bad;
    }
    if (!strcmp(mode, "samepid")) {
        /* argv[2] is the pid before exec */
        int same = atol(argv[2]) == (long)getpid();
        printf("  in-place exec kept the pid: %d\n", same);
        fflush(stdout);
        return same ? 11 : 12;
    }
    if (!strcmp(mode, "interp")) {
        /* "#!SELF interp" script: argv = SELF interp SCRIPT ARGS... */
        const char *script = strrchr(argv[2], '/');
        printf("  script interpreter got %d args: interp %s", argc, script ? script + 1 : argv[2]);
        for (int i = 3; i < argc; i++) printf(" %s", argv[i]);
        printf("\n");
        fflush(stdout);
        return 13;
    }
    if (!strcmp(mode, "spawned")) return 21;
    printf("FAIL unknown mode %s\n", mode);
    return 99;
}

static int run(char *const argv[], char *const envp[]) {
    fflush(stdout);
    pid_t pid = MUST(fork());
    if (pid == 0) {
        execve(self, argv, envp);
        printf("FAIL execve %s: %s\n", self, strerror(errno));
        fflush(stdout);
        _exit(127);
    }
    int status;
    MUST(waitpid(pid, &status, 0));
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv) {
    if (argc > 1 && argv[1][0] != '/' && argv[1][0] != '.') return child_main(argc, argv);
    const char *dir = argc > 1 ? argv[1] : ".";
    if (argc > 2) self = argv[2];

    /* 1. argv and envp arrive exactly */
    char *cargv[] = {"exec", "echo", "one", "two words", "", "last", NULL};
    char *cenv[] = {"FOO=bar", "EMPTY=", "WITH=equals=inside", NULL};
    int st = run(cargv, cenv);
    CHECK_EQ(st, 7);
    printf("echo child exit status %d\n", st);

    /* 2. close-on-exec */
    int p[2], q[2];
    MUST(pipe2(p, O_CLOEXEC));
    MUST(pipe(q));
    char a1[16], a2[16];
    snprintf(a1, sizeof a1, "%d", p[1]);
    snprintf(a2, sizeof a2, "%d", q[1]);
    char *fargv[] = {"exec", "fds", a1, a2, NULL};
    st = run(fargv, environ);
    CHECK_EQ(st, 0);
    close(q[1]);
    char buf[16] = {0};
    CHECK_EQ(read(q[0], buf, sizeof buf), 4);
    printf("fds child: status %d, wrote \"%s\" through the inherited fd\n", st, buf);
    close(p[0]); close(p[1]); close(q[0]);

    /* 3. signal dispositions and mask across exec */
    signal(SIGUSR1, SIG_IGN);
    signal(SIGUSR2, on_usr2);
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, &old);
    char *sargv[] = {"exec", "signals", NULL};
    st = run(sargv, environ);
    CHECK_EQ(st, 0);
    printf("signals child: status %d\n", st);
    sigprocmask(SIG_SETMASK, &old, NULL);
    signal(SIGUSR1, SIG_DFL);
    signal(SIGUSR2, SIG_DFL);

    /* 4. exec in place keeps the pid (in a child, so that we survive) */
    fflush(stdout);
    pid_t pid = MUST(fork());
    if (pid == 0) {
        char pidbuf[16];
        snprintf(pidbuf, sizeof pidbuf, "%d", (int)getpid());
        char *pargv[] = {"exec", "samepid", pidbuf, NULL};
        execve(self, pargv, environ);
        _exit(127);
    }
    int status;
    MUST(waitpid(pid, &status, 0));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 11);

    /* 5. errors */
    char path[4096];
    char *eargv[] = {"x", NULL};
    snprintf(path, sizeof path, "%s/no-such-program", dir);
    CHECK_ERR(execve(path, eargv, environ), ENOENT);
    snprintf(path, sizeof path, "%s/exec-not-executable", dir);
    int fd = MUST(open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644));
    CHECK_EQ(write(fd, "\177ELF", 4), 4);
    close(fd);
    CHECK_ERR(execve(path, eargv, environ), EACCES);
    MUST(chmod(path, 0755));
    CHECK_ERR(execve(path, eargv, environ), ENOEXEC);    /* truncated ELF header */
    unlink(path);
    CHECK_ERR(execve(dir, eargv, environ), EACCES);      /* a directory */
    printf("execve errors: ENOENT, EACCES, ENOEXEC, EACCES for a directory\n");

    /* 6. a "#!" script run by this program as its interpreter */
    snprintf(path, sizeof path, "%s/exec-script", dir);
    fd = MUST(open(path, O_CREAT | O_WRONLY | O_TRUNC, 0755));
    dprintf(fd, "#!%s interp\nthis line is not read by anything\n", self);
    close(fd);
    fflush(stdout);
    pid = MUST(fork());
    if (pid == 0) {
        char *targv[] = {path, "arg1", "arg 2", NULL};
        execve(path, targv, environ);
        printf("FAIL exec script: %s\n", strerror(errno));
        fflush(stdout);
        _exit(127);
    }
    MUST(waitpid(pid, &status, 0));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 13);
    unlink(path);

    /* 7. posix_spawn (clone with CLONE_VM|CLONE_VFORK inside glibc) */
    char *spargv[] = {"exec", "spawned", NULL};
    fflush(stdout);
    pid_t sp;
    CHECK_EQ(posix_spawn(&sp, self, NULL, NULL, spargv, environ), 0);
    MUST(waitpid(sp, &status, 0));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 21);
    printf("posix_spawn child: exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return DONE("exec");
}
