#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <errno.h>
#include <string.h>
#include <sys/time.h>
#include <sys/epoll.h>
#include <sys/wait.h>

static volatile sig_atomic_t got;
static void handler(int sig) { got = sig; }

static int blocked(int sig) { sigset_t s; sigprocmask(SIG_BLOCK, 0, &s); return sigismember(&s, sig); }

int main(void) {
    struct sigaction sa; memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigaction(SIGALRM, &sa, 0);
    sigaction(SIGUSR1, &sa, 0);
    int p[2]; pipe(p);
    struct pollfd f = {p[0], POLLIN, 0};

    struct itimerval it = {{0, 0}, {0, 50000}};
    setitimer(ITIMER_REAL, &it, 0);
    int n = ppoll(&f, 1, 0, 0);
    printf("alarm: n=%d errno=%s handler=%d\n", n, n < 0 ? strerror(errno) : "-", got);

    /* SIGUSR1 blocked and pending; ppoll's mask lets it in: EINTR at once, handler runs, mask restored. */
    got = 0;
    sigset_t b; sigemptyset(&b); sigaddset(&b, SIGUSR1);
    sigprocmask(SIG_BLOCK, &b, 0);
    raise(SIGUSR1);
    printf("pending, handler=%d\n", got);
    sigset_t none; sigemptyset(&none);
    struct timespec ts = {5, 0};
    n = ppoll(&f, 1, &ts, &none);
    printf("mask: n=%d errno=%s handler=%d still-blocked=%d\n", n, n < 0 ? strerror(errno) : "-", got, blocked(SIGUSR1));

    /* ready fd with a pending signal under the temporary mask: returns 1, signal stays pending */
    got = 0;
    write(p[1], "x", 1);
    raise(SIGUSR1);
    n = ppoll(&f, 1, &ts, &b);
    printf("ready+blocked: n=%d handler=%d still-blocked=%d\n", n, got, blocked(SIGUSR1));
    sigprocmask(SIG_UNBLOCK, &b, 0);
    printf("after unblock: handler=%d\n", got);

    /* epoll_pwait interrupted the same way */
    got = 0;
    char c; read(p[0], &c, 1);
    int ep = epoll_create1(0);
    struct epoll_event ev = {EPOLLIN, {0}};
    epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
    sigprocmask(SIG_BLOCK, &b, 0);
    raise(SIGUSR1);
    n = epoll_pwait(ep, &ev, 1, 5000, &none);
    printf("epoll_pwait: n=%d errno=%s handler=%d still-blocked=%d\n", n, n < 0 ? strerror(errno) : "-", got, blocked(SIGUSR1));
    sigprocmask(SIG_UNBLOCK, &b, 0);

    /* a child exiting (SIGCHLD ignored by default) does not interrupt poll, but closing its pipe end wakes it */
    int q[2]; pipe(q);
    pid_t pid = fork();
    if (pid == 0) { close(q[0]); usleep(30000); _exit(0); }
    close(q[1]);
    struct pollfd g = {q[0], POLLIN, 0};
    n = poll(&g, 1, 5000);
    printf("child exit: n=%d revents=%#x\n", n, g.revents);
    waitpid(pid, 0, 0);
    return 0;
}
