/*
 * procs: fork, _exit/exit statuses, waitpid (specific pid, -1, WNOHANG), death by signals
 * (SIGKILL, SIGABRT, SIGTERM), getpid/getppid relations, copy-on-write memory after fork,
 * process groups and sessions, wait4 rusage, and reparenting of an orphan's exit status not
 * leaking to us. Children report through exit statuses and pipes, never through output order.
 */
#include "check.h"
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static int heap_value = 1;

static const char *describe(int status, char *buf, size_t len) {
    if (WIFEXITED(status)) snprintf(buf, len, "exited %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status)) snprintf(buf, len, "killed by %s", strsignal(WTERMSIG(status)));
    else if (WIFSTOPPED(status)) snprintf(buf, len, "stopped by %s", strsignal(WSTOPSIG(status)));
    else snprintf(buf, len, "status %#x", status);
    return buf;
}

int main(void) {
    char d[64];
    int status;
    pid_t me = getpid();
    CHECK(me > 0);
    CHECK(getppid() > 0);

    /* exit statuses 0..255 wrap, both _exit and exit */
    static const int codes[] = {0, 1, 7, 42, 127, 255, 256 + 3};
    for (unsigned i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        fflush(stdout);
        pid_t pid = MUST(fork());
        if (pid == 0) {
            if (i & 1) exit(codes[i]);
            _exit(codes[i]);
        }
        CHECK_EQ(waitpid(pid, &status, 0), pid);
        CHECK(WIFEXITED(status));
        CHECK_EQ(WEXITSTATUS(status), codes[i] & 255);
        printf("child exit(%d): %s\n", codes[i], describe(status, d, sizeof d));
    }

    /* the child sees its parent's pid and its own new pid; memory is copied, not shared */
    int p[2];
    MUST(pipe(p));
    heap_value = 10;
    fflush(stdout);
    pid_t pid = MUST(fork());
    if (pid == 0) {
        int ok = getppid() == me && getpid() != me && heap_value == 10;
        heap_value = 20;
        pid_t mine = getpid();
        if (write(p[1], &mine, sizeof mine) != sizeof mine) _exit(3);
        _exit(ok ? 0 : 1);
    }
    pid_t reported = 0;
    CHECK_EQ(read(p[0], &reported, sizeof reported), sizeof reported);
    CHECK_EQ(reported, pid);
    MUST(waitpid(pid, &status, 0));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK_EQ(heap_value, 10);
    printf("fork: child pid matches, ppid matches, memory copy-on-write: %d\n", heap_value == 10);
    close(p[0]);
    close(p[1]);

    /* deaths by signal */
    static const int sigs[] = {SIGKILL, SIGTERM, SIGABRT, SIGUSR1};
    for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        fflush(stdout);
        pid = MUST(fork());
        if (pid == 0) {
            if (sigs[i] == SIGABRT) abort();
            raise(sigs[i]);
            _exit(100);
        }
        MUST(waitpid(pid, &status, 0));
        CHECK(WIFSIGNALED(status));
        CHECK_EQ(WTERMSIG(status), sigs[i]);
        printf("child raising signal %d: %s\n", sigs[i], describe(status, d, sizeof d));
    }

    /* the parent kills a child that is blocked in pause(); WNOHANG before that returns 0 */
    fflush(stdout);
    pid = MUST(fork());
    if (pid == 0) {
        for (;;) pause();
    }
    CHECK_EQ(waitpid(pid, &status, WNOHANG), 0);
    MUST(kill(pid, SIGTERM));
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    printf("killed paused child: %s\n", describe(status, d, sizeof d));
    CHECK_ERR(kill(pid, 0), ESRCH);             /* reaped: gone */
    CHECK_ERR(waitpid(pid, &status, 0), ECHILD);

    /* several children reaped with wait(-1) in any order; statuses identify them */
    int seen = 0;
    for (int i = 0; i < 5; i++) {
        fflush(stdout);
        if (MUST(fork()) == 0) {
            usleep((5 - i) * 2000);
            _exit(10 + i);
        }
    }
    for (int i = 0; i < 5; i++) {
        pid_t w = wait(&status);
        CHECK(w > 0);
        if (WIFEXITED(status) && WEXITSTATUS(status) >= 10 && WEXITSTATUS(status) < 15)
            seen |= 1 << (WEXITSTATUS(status) - 10);
    }
    CHECK_EQ(seen, 31);
    CHECK_ERR(wait(&status), ECHILD);
    printf("five children reaped: mask=%d\n", seen);

    /* grandchild: the child exits first; we only ever see the child's status */
    fflush(stdout);
    pid = MUST(fork());
    if (pid == 0) {
        if (fork() == 0) {
            usleep(20000);
            _exit(77);
        }
        _exit(5);
    }
    MUST(waitpid(pid, &status, 0));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 5);
    CHECK_ERR(waitpid(-1, &status, WNOHANG), ECHILD);

    /* process groups and sessions */
    fflush(stdout);
    pid = MUST(fork());
    if (pid == 0) {
        pid_t sid = setsid();
        int ok = sid == getpid() && getpgrp() == getpid() && getsid(0) == getpid();
        _exit(ok ? 0 : 1);
    }
    MUST(waitpid(pid, &status, 0));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(getpgid(0) == getpgrp());
    printf("setsid in child: %s\n", describe(status, d, sizeof d));

    /* wait4 returns resource usage; a CPU-burning child has used some user time */
    fflush(stdout);
    pid = MUST(fork());
    if (pid == 0) {
        volatile unsigned long x = 0;
        for (unsigned long i = 0; i < 3000000; i++) x += i * i;
        _exit((int)(x & 1));
    }
    struct rusage ru;
    CHECK_EQ(wait4(pid, &status, 0, &ru), pid);
    CHECK(WIFEXITED(status));
    CHECK(ru.ru_utime.tv_sec >= 0 && ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000);

    /* vfork + _exit: the parent resumes after the child is done */
    fflush(stdout);
    volatile int vf = 0;
    pid = vfork();
    if (pid == 0) _exit(9);
    CHECK(pid > 0);
    MUST(waitpid(pid, &status, 0));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 9);
    (void)vf;
    printf("vfork child: %s\n", describe(status, d, sizeof d));

    /* SIGCHLD arrives and waitid reports the child */
    fflush(stdout);
    pid = MUST(fork());
    if (pid == 0) _exit(3);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    MUST(waitid(P_PID, pid, &si, WEXITED));
    CHECK_EQ(si.si_pid, pid);
    CHECK_EQ(si.si_code, CLD_EXITED);
    CHECK_EQ(si.si_status, 3);
    CHECK_EQ(si.si_signo, SIGCHLD);
    printf("waitid: code=CLD_EXITED status=%d\n", si.si_status);
    return DONE("procs");
}
