/*
 * sysinfo: clocks (monotonic increases, realtime plausible, nanosleep and clock_nanosleep
 * durations, resolutions), gettimeofday/time, getrandom, uname, ids, rlimits (get, lower, the
 * limit enforced), sysconf, ioctl TCGETS on a non-tty (ENOTTY), isatty, getrusage, times,
 * prctl names, sched_getaffinity/sched_yield, umask.
 */
#include "check.h"
#include <fcntl.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static long long ns(struct timespec t) { return t.tv_sec * 1000000000LL + t.tv_nsec; }

int main(void) {
    /* --- clocks ----------------------------------------------------------------------------- */
    struct timespec t0, t1, res;
    MUST(clock_gettime(CLOCK_MONOTONIC, &t0));
    long long prev = ns(t0);
    int monotonic = 1;
    for (int i = 0; i < 1000; i++) {
        MUST(clock_gettime(CLOCK_MONOTONIC, &t1));
        monotonic &= ns(t1) >= prev;
        prev = ns(t1);
    }
    CHECK(monotonic);
    struct timespec req = {0, 50 * 1000000};
    MUST(nanosleep(&req, NULL));
    MUST(clock_gettime(CLOCK_MONOTONIC, &t1));
    long long slept = ns(t1) - ns(t0);
    printf("monotonic non-decreasing: %d, nanosleep(50ms) took >=50ms: %d, <5s: %d\n", monotonic,
           slept >= 50000000, slept < 5000000000LL);
    CHECK(slept >= 50000000 && slept < 5000000000LL);
    MUST(clock_gettime(CLOCK_MONOTONIC, &t0));
    struct timespec until = t0;
    until.tv_nsec += 20000000;
    if (until.tv_nsec >= 1000000000) { until.tv_sec++; until.tv_nsec -= 1000000000; }
    CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL), 0);
    MUST(clock_gettime(CLOCK_MONOTONIC, &t1));
    CHECK(ns(t1) >= ns(until));
    MUST(clock_getres(CLOCK_MONOTONIC, &res));
    CHECK(res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 1000000);
    struct timespec rt;
    MUST(clock_gettime(CLOCK_REALTIME, &rt));
    struct timeval tv;
    MUST(gettimeofday(&tv, NULL));
    time_t now = time(NULL);
    CHECK(rt.tv_sec > 1577836800);                     /* after 2020-01-01 */
    CHECK(llabs((long long)now - rt.tv_sec) <= 2);
    CHECK(llabs((long long)tv.tv_sec - rt.tv_sec) <= 2);
    struct timespec cpu0, cpu1;
    MUST(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu0));
    volatile double x = 1;
    for (int i = 0; i < 2000000; i++) x = x * 1.0000001 + 1e-9;
    MUST(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu1));
    CHECK(ns(cpu1) >= ns(cpu0));
    MUST(clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu1));
    MUST(clock_gettime(CLOCK_BOOTTIME, &t1));
    CHECK_ERR(clock_gettime((clockid_t)12345, &t1), EINVAL);
    struct tm tm;
    time_t fixed = 1700000000;
    gmtime_r(&fixed, &tm);
    char when[64];
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S %a", &tm);
    printf("gmtime(1700000000) = %s\n", when);
    printf("realtime after 2020: %d\n", rt.tv_sec > 1577836800);

    /* --- getrandom ---------------------------------------------------------------------------- */
    unsigned char r1[32], r2[32];
    CHECK_EQ(getrandom(r1, sizeof r1, 0), 32);
    CHECK_EQ(getrandom(r2, sizeof r2, GRND_NONBLOCK), 32);
    int nz = 0;
    for (int i = 0; i < 32; i++) nz |= r1[i];
    CHECK(nz != 0);
    CHECK(memcmp(r1, r2, 32) != 0);
    int fd = open("/dev/urandom", O_RDONLY);
    if (fd >= 0) {
        CHECK_EQ(read(fd, r2, 16), 16);
        close(fd);
    }
    printf("getrandom: 32 bytes, nonzero, two calls differ\n");

    /* --- uname, ids ---------------------------------------------------------------------------- */
    struct utsname u;
    MUST(uname(&u));
    printf("uname: sysname=%s machine=%s\n", u.sysname, u.machine);
    CHECK(strcmp(u.sysname, "Linux") == 0);
    CHECK(strcmp(u.machine, "riscv64") == 0);
    CHECK(u.release[0] >= '1' && u.release[0] <= '9');
    pid_t pid = getpid();
    CHECK(pid > 0);
    CHECK(getppid() > 0 && getppid() != pid);
    CHECK_EQ(syscall(SYS_gettid), pid);
    CHECK_EQ(getuid(), geteuid());
    CHECK_EQ(getgid(), getegid());
    uid_t ru, eu, su;
    MUST(getresuid(&ru, &eu, &su));
    CHECK(ru == getuid() && eu == geteuid());
    int ng = getgroups(0, NULL);
    CHECK(ng >= 0);
    CHECK(getpgrp() > 0);
    /* A session id may be 0 when the caller's session leader lives outside its pid namespace
       (as in some container runners), so only consistency is portable. */
    CHECK(getsid(0) >= 0 && getsid(0) == getsid(getpid()));
    printf("ids: pid>0, ppid!=pid, tid==pid, uid==euid, gid==egid\n");

    /* --- rlimits ----------------------------------------------------------------------------- */
    struct rlimit rl;
    MUST(getrlimit(RLIMIT_STACK, &rl));
    CHECK(rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= 64 * 1024);
    MUST(getrlimit(RLIMIT_NOFILE, &rl));
    CHECK(rl.rlim_cur >= 64);
    struct rlimit lower = {32, rl.rlim_max};
    MUST(setrlimit(RLIMIT_NOFILE, &lower));
    int opened = 0, last_errno = 0;
    int fds[64];
    for (int i = 0; i < 64; i++) {
        fds[i] = dup(1);
        if (fds[i] < 0) { last_errno = errno; break; }
        opened++;
    }
    for (int i = 0; i < opened; i++) close(fds[i]);
    CHECK(opened < 32);
    CHECK_EQ(last_errno, EMFILE);
    printf("RLIMIT_NOFILE=32: dup failed with EMFILE: %d\n", last_errno == EMFILE);
    MUST(setrlimit(RLIMIT_NOFILE, &rl));
    struct rlimit core = {0, 0};
    MUST(getrlimit(RLIMIT_CORE, &rl));
    core.rlim_max = rl.rlim_max;
    MUST(setrlimit(RLIMIT_CORE, &core));
    MUST(getrlimit(RLIMIT_CORE, &rl));
    CHECK_EQ(rl.rlim_cur, 0);
    struct rlimit too_high = {rl.rlim_max == RLIM_INFINITY ? RLIM_INFINITY : rl.rlim_max + 1, rl.rlim_max};
    if (rl.rlim_max != RLIM_INFINITY) CHECK_ERR(setrlimit(RLIMIT_CORE, &too_high), EINVAL);
    struct rlimit pl;
    MUST(prlimit(0, RLIMIT_AS, NULL, &pl));
    MUST(getrlimit(RLIMIT_DATA, &rl));
    printf("rlimits: stack/nofile/core/as/data readable, core lowered to 0\n");

    /* --- sysconf, ioctl on non-ttys -------------------------------------------------------- */
    CHECK_EQ(sysconf(_SC_PAGESIZE), 4096);
    CHECK(sysconf(_SC_NPROCESSORS_ONLN) >= 1);
    CHECK(sysconf(_SC_CLK_TCK) == 100);
    CHECK(sysconf(_SC_OPEN_MAX) >= 64);
    int p[2];
    MUST(pipe(p));
    struct termios tio;
    CHECK_ERR(ioctl(p[0], TCGETS, &tio), ENOTTY);
    CHECK_ERR(tcgetattr(p[1], &tio), ENOTTY);
    CHECK(!isatty(p[0]));
    CHECK_EQ(errno, ENOTTY);
    struct winsize ws;
    CHECK_ERR(ioctl(p[0], TIOCGWINSZ, &ws), ENOTTY);
    close(p[0]);
    close(p[1]);
    fd = open("/dev/null", O_RDWR);
    if (fd >= 0) {
        CHECK_ERR(ioctl(fd, TCGETS, &tio), ENOTTY);
        CHECK_EQ(write(fd, "discarded", 9), 9);
        CHECK_EQ(read(fd, r1, sizeof r1), 0);
        close(fd);
    }
    printf("ioctl TCGETS on a pipe: ENOTTY\n");

    /* --- resource usage ----------------------------------------------------------------------- */
    struct rusage us;
    MUST(getrusage(RUSAGE_SELF, &us));
    CHECK(us.ru_utime.tv_usec >= 0 && us.ru_utime.tv_usec < 1000000);
    CHECK(us.ru_maxrss >= 0);
    struct tms tmsv;
    CHECK(times(&tmsv) != (clock_t)-1);

    /* --- misc -------------------------------------------------------------------------------- */
    MUST(prctl(PR_SET_NAME, "rivet-sysinfo", 0, 0, 0));
    char name[17] = {0};
    MUST(prctl(PR_GET_NAME, name, 0, 0, 0));
    printf("prctl name: %s\n", name);
    CHECK(strcmp(name, "rivet-sysinfo") == 0);
    cpu_set_t set;
    CPU_ZERO(&set);
    MUST(sched_getaffinity(0, sizeof set, &set));
    CHECK(CPU_COUNT(&set) >= 1);
    MUST(sched_yield());
    mode_t old = umask(027);
    CHECK_EQ(umask(old), 027);
    char host[256];
    MUST(gethostname(host, sizeof host));
    CHECK(strlen(host) > 0);
    return DONE("sysinfo");
}
