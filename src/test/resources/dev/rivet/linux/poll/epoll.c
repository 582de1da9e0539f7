#define _GNU_SOURCE
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <stdio.h>
#include <stdint.h>
#include <unistd.h>
#include <errno.h>
#include <string.h>
#include <pthread.h>
#include <time.h>

static const char *err(long r) { return r < 0 ? strerror(errno) : "ok"; }
static int ep;

static int max_events = 8, sorted = 0;

static void show(const char *what, int timeout) {
    struct epoll_event ev[8];
    int n = epoll_wait(ep, ev, max_events, timeout);
    if (sorted && n == 2 && ev[0].data.u64 > ev[1].data.u64) { struct epoll_event t = ev[0]; ev[0] = ev[1]; ev[1] = t; }
    printf("%s: n=%d", what, n);
    for (int i = 0; i < n; i++) printf(" [data=%llu ev=%#x]", (unsigned long long)ev[i].data.u64, ev[i].events);
    printf("\n");
}
static int wfd;
static void *writer(void *a) { usleep(30000); write(wfd, "w", 1); return 0; }

int main(void) {
    ep = epoll_create1(EPOLL_CLOEXEC);
    int lt[2], et[2]; pipe(lt); pipe(et);
    struct epoll_event ev = {0};
    ev.events = EPOLLIN; ev.data.u64 = 100;
    printf("add lt: %s\n", err(epoll_ctl(ep, EPOLL_CTL_ADD, lt[0], &ev)));
    ev.events = EPOLLIN | EPOLLET; ev.data.u64 = 200;
    printf("add et: %s\n", err(epoll_ctl(ep, EPOLL_CTL_ADD, et[0], &ev)));
    printf("add again: %s\n", err(epoll_ctl(ep, EPOLL_CTL_ADD, et[0], &ev)));
    printf("mod missing: %s\n", err(epoll_ctl(ep, EPOLL_CTL_MOD, lt[1], &ev)));
    printf("del missing: %s\n", err(epoll_ctl(ep, EPOLL_CTL_DEL, lt[1], &ev)));
    printf("add self: %s\n", err(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev)));
    printf("add bad fd: %s\n", err(epoll_ctl(ep, EPOLL_CTL_ADD, 77, &ev)));
    printf("ctl on non-epoll: %s\n", err(epoll_ctl(lt[0], EPOLL_CTL_ADD, et[0], &ev)));
    printf("bad op: %s\n", err(epoll_ctl(ep, 9, lt[0], &ev)));
    show("nothing", 0);
    write(lt[1], "a", 1); write(et[1], "b", 1);
    show("both", 0);
    show("level again", 0);
    write(et[1], "c", 1);
    show("new edge", 0);
    char buf[8];
    read(lt[0], buf, 8); read(et[0], buf, 8);
    show("drained", 0);
    /* level-triggered entries take turns when maxevents is smaller than what is ready */
    write(lt[1], "a", 1); write(et[1], "b", 1);
    ev.events = EPOLLIN; ev.data.u64 = 200;
    epoll_ctl(ep, EPOLL_CTL_MOD, et[0], &ev);
    max_events = 1;
    show("turn 1", 0); show("turn 2", 0); show("turn 3", 0);
    max_events = 8;
    ev.events = EPOLLIN | EPOLLET;
    epoll_ctl(ep, EPOLL_CTL_MOD, et[0], &ev);
    show("mod to et", 0);
    show("et quiet", 0);
    read(lt[0], buf, 8); read(et[0], buf, 8);
    write(et[1], "d", 1);
    show("edge after drain", 0);

    int e = eventfd(0, EFD_NONBLOCK);
    ev.events = EPOLLIN | EPOLLONESHOT; ev.data.u64 = 300;
    epoll_ctl(ep, EPOLL_CTL_ADD, e, &ev);
    uint64_t one = 1; write(e, &one, 8);
    show("oneshot", 0);
    write(e, &one, 8);
    show("oneshot disarmed", 0);
    ev.events = EPOLLIN | EPOLLOUT | EPOLLONESHOT; ev.data.u64 = 301;
    epoll_ctl(ep, EPOLL_CTL_MOD, e, &ev);
    show("rearmed", 0);
    epoll_ctl(ep, EPOLL_CTL_DEL, e, 0);

    ev.events = EPOLLIN | EPOLLET; ev.data.u64 = 400;
    int e2 = eventfd(0, EFD_NONBLOCK);
    epoll_ctl(ep, EPOLL_CTL_ADD, e2, &ev);
    show("eventfd et idle", 0);
    write(e2, &one, 8);
    show("eventfd et post", 0);
    show("eventfd et quiet", 0);
    write(e2, &one, 8);
    show("eventfd et post again", 0);
    ev.events = EPOLLOUT; ev.data.u64 = 401;
    epoll_ctl(ep, EPOLL_CTL_MOD, e2, &ev);
    show("mod to out", 0);
    epoll_ctl(ep, EPOLL_CTL_DEL, e2, 0);

    read(et[0], buf, 8);
    close(lt[1]);
    show("hup", 0);
    close(lt[0]);
    show("closed dropped", 0);

    int inner = epoll_create1(0);
    ev.events = EPOLLIN; ev.data.u64 = 500;
    epoll_ctl(ep, EPOLL_CTL_ADD, inner, &ev);
    ev.data.u64 = 501;
    epoll_ctl(inner, EPOLL_CTL_ADD, et[0], &ev);
    printf("loop: %s\n", err(epoll_ctl(inner, EPOLL_CTL_ADD, ep, &ev)));
    show("nested idle", 0);
    write(et[1], "n", 1);
    sorted = 1; show("nested", 0); sorted = 0;
    read(et[0], buf, 8);
    epoll_ctl(ep, EPOLL_CTL_DEL, inner, 0);

    struct timespec t0, t1; clock_gettime(CLOCK_MONOTONIC, &t0);
    show("timeout", 50);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long el = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    printf("waited>=50:%d\n", el >= 50);
    wfd = et[1];
    pthread_t th; pthread_create(&th, 0, writer, 0);
    show("blocking", -1);
    pthread_join(th, 0);
    struct epoll_event evs[1];
    printf("maxevents 0: %s\n", err(epoll_wait(ep, evs, 0, 0)));
    return 0;
}
