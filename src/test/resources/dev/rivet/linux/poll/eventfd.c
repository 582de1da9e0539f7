#define _GNU_SOURCE
#include <sys/eventfd.h>
#include <poll.h>
#include <stdio.h>
#include <stdint.h>
#include <unistd.h>
#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <pthread.h>

static int efd_block;
static void *poster(void *a) { usleep(30000); uint64_t v = 5; write(efd_block, &v, 8); return 0; }

static const char *err(long r) { return r < 0 ? strerror(errno) : "ok"; }

int main(void) {
    uint64_t v;
    int e = eventfd(3, EFD_NONBLOCK | EFD_CLOEXEC);
    printf("cloexec=%d nonblock=%d\n", (fcntl(e, F_GETFD) & FD_CLOEXEC) != 0, (fcntl(e, F_GETFL) & O_NONBLOCK) != 0);
    struct pollfd pf = {e, POLLIN | POLLOUT, 0};
    poll(&pf, 1, 0);
    printf("counter 3: revents=%#x\n", pf.revents);
    v = 4; write(e, &v, 8);
    long r = read(e, &v, 8);
    printf("counter read: r=%ld v=%llu\n", r, (unsigned long long)v);
    r = read(e, &v, 8);
    printf("empty read: r=%ld %s\n", r, err(r));
    poll(&pf, 1, 0);
    printf("counter 0: revents=%#x\n", pf.revents);
    r = read(e, &v, 4);
    printf("short read: r=%ld %s\n", r, err(r));
    v = 1; r = write(e, &v, 4);
    printf("short write: r=%ld %s\n", r, err(r));
    v = UINT64_MAX; r = write(e, &v, 8);
    printf("write max: r=%ld %s\n", r, err(r));
    v = UINT64_MAX - 1; r = write(e, &v, 8);
    printf("write max-1: r=%ld %s\n", r, err(r));
    poll(&pf, 1, 0);
    printf("full: revents=%#x\n", pf.revents);
    v = 1; r = write(e, &v, 8);
    printf("overflow: r=%ld %s\n", r, err(r));
    r = read(e, &v, 8);
    printf("drain: r=%ld v=%#llx\n", r, (unsigned long long)v);
    close(e);

    int s = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
    for (int i = 0; i < 3; i++) {
        r = read(s, &v, 8);
        printf("sem read %d: r=%ld v=%llu %s\n", i, r, (unsigned long long)(r > 0 ? v : 0), err(r));
    }
    v = 3; write(s, &v, 8);
    uint64_t big[2]; r = read(s, big, 16); v = big[0];
    printf("sem after +3: r=%ld v=%llu\n", r, (unsigned long long)v);
    r = eventfd(0, 0x40);
    printf("bad flags: %s\n", err(r));

    efd_block = eventfd(0, 0);
    pthread_t th; pthread_create(&th, 0, poster, 0);
    r = read(efd_block, &v, 8);
    printf("blocking read: r=%ld v=%llu\n", r, (unsigned long long)v);
    pthread_join(th, 0);
    return 0;
}
