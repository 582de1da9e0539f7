#define _GNU_SOURCE
#include <sys/select.h>
#include <sys/syscall.h>
#include <stdio.h>
#include <unistd.h>
#include <time.h>
#include <errno.h>
#include <string.h>

int main(void) {
    int p[2]; pipe(p);
    fd_set r, w;
    FD_ZERO(&r); FD_ZERO(&w);
    FD_SET(p[0], &r); FD_SET(p[1], &w);
    struct timeval tv = {0, 0};
    int n = select(p[1] + 1, &r, &w, 0, &tv);
    printf("initial: n=%d r=%d w=%d\n", n, FD_ISSET(p[0], &r), FD_ISSET(p[1], &w));
    write(p[1], "ab", 2);
    FD_ZERO(&r); FD_ZERO(&w); FD_SET(p[0], &r); FD_SET(p[1], &w);
    n = select(p[1] + 1, &r, &w, 0, 0);
    printf("after write: n=%d r=%d w=%d\n", n, FD_ISSET(p[0], &r), FD_ISSET(p[1], &w));
    char buf[4]; read(p[0], buf, 2);
    /* raw pselect6 so the updated timeout is visible */
    FD_ZERO(&r); FD_SET(p[0], &r);
    struct timespec ts = {0, 60000000};
    struct timespec t0, t1; clock_gettime(CLOCK_MONOTONIC, &t0);
    n = syscall(SYS_pselect6, p[0] + 1, &r, 0, 0, &ts, 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long el = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    printf("timeout: n=%d r=%d waited>=60:%d left=%ld.%09ld\n", n, FD_ISSET(p[0], &r), el >= 60, (long)ts.tv_sec, ts.tv_nsec);
    ts.tv_sec = 5; ts.tv_nsec = 0;
    write(p[1], "c", 1);
    FD_ZERO(&r); FD_SET(p[0], &r);
    n = syscall(SYS_pselect6, p[0] + 1, &r, 0, 0, &ts, 0);
    printf("ready: n=%d r=%d left_positive=%d left<5s=%d\n", n, FD_ISSET(p[0], &r), ts.tv_sec > 0 || ts.tv_nsec > 0,
           ts.tv_sec < 5);
    FD_ZERO(&r); FD_SET(40, &r);
    tv.tv_sec = 0; tv.tv_usec = 0;
    n = select(41, &r, 0, 0, &tv);
    printf("bad fd: n=%d errno=%s\n", n, n < 0 ? strerror(errno) : "-");
    close(p[1]);
    read(p[0], buf, 1);
    FD_ZERO(&r); FD_SET(p[0], &r);
    n = select(p[0] + 1, &r, 0, 0, 0);
    printf("eof readable: n=%d r=%d\n", n, FD_ISSET(p[0], &r));
    n = select(-1, 0, 0, 0, &tv);
    printf("negative nfds: n=%d errno=%s\n", n, n < 0 ? strerror(errno) : "-");
    return 0;
}
