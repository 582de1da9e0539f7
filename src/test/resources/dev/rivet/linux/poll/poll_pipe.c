#define _GNU_SOURCE
#include <poll.h>
#include <stdio.h>
#include <unistd.h>
#include <time.h>
#include <pthread.h>
#include <errno.h>

static long ms_since(struct timespec *a) {
    struct timespec b; clock_gettime(CLOCK_MONOTONIC, &b);
    return (b.tv_sec - a->tv_sec) * 1000 + (b.tv_nsec - a->tv_nsec) / 1000000;
}
static int wfd;
static void *writer(void *arg) { usleep(30000); write(wfd, "y", 1); return 0; }

int main(void) {
    int p[2];
    if (pipe(p)) { perror("pipe"); return 1; }
    struct pollfd f[3] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}, {-1, POLLIN, 77}};
    int n = poll(f, 1, 0);
    printf("empty: n=%d revents=%#x\n", n, f[0].revents);
    n = poll(f, 3, 0);
    printf("writer: n=%d revents=%#x %#x neg=%#x\n", n, f[0].revents, f[1].revents, f[2].revents);
    write(p[1], "x", 1);
    n = poll(f, 1, -1);
    printf("after write: n=%d revents=%#x\n", n, f[0].revents);
    char c; read(p[0], &c, 1);
    struct timespec t0; clock_gettime(CLOCK_MONOTONIC, &t0);
    n = poll(f, 1, 50);
    long el = ms_since(&t0);
    printf("timeout: n=%d waited>=50:%d\n", n, el >= 50);
    wfd = p[1];
    pthread_t th; pthread_create(&th, 0, writer, 0);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    n = poll(f, 1, 5000);
    el = ms_since(&t0);
    printf("woken: n=%d revents=%#x quick:%d\n", n, f[0].revents, el < 4000);
    pthread_join(th, 0);
    read(p[0], &c, 1);
    struct timespec ts = {0, 20000000};
    n = ppoll(f, 1, &ts, 0);
    printf("ppoll timeout: n=%d\n", n);
    struct pollfd bad = {99, POLLIN, 0};
    n = poll(&bad, 1, 0);
    printf("bad: n=%d revents=%#x\n", n, bad.revents);
    f[0].events = POLLIN | POLLRDNORM;
    write(p[1], "z", 1);
    close(p[1]);
    n = poll(f, 1, 0);
    printf("data+hup: n=%d revents=%#x\n", n, f[0].revents);
    read(p[0], &c, 1);
    n = poll(f, 1, 0);
    printf("hup: n=%d revents=%#x\n", n, f[0].revents);
    int q[2]; pipe(q); close(q[0]);
    struct pollfd g = {q[1], POLLOUT, 0};
    n = poll(&g, 1, 0);
    printf("no reader: n=%d revents=%#x\n", n, g.revents);
    return 0;
}
