/*
 * pipes: pipe/pipe2, dup/dup2/dup3 redirection of stdout into a pipe, EOF when writers close,
 * EPIPE with SIGPIPE ignored, SIGPIPE's default action in a child, O_NONBLOCK and EAGAIN, poll,
 * a parent/child round trip through two pipes, FIONREAD and a >64 KiB transfer through a child.
 */
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    int p[2];
    char buf[256];
    MUST(pipe(p));
    CHECK_EQ(write(p[1], "through the pipe", 16), 16);
    int avail = -1;
    MUST(ioctl(p[0], FIONREAD, &avail));
    CHECK_EQ(avail, 16);
    memset(buf, 0, sizeof buf);
    CHECK_EQ(read(p[0], buf, sizeof buf), 16);
    printf("pipe: %s\n", buf);
    CHECK_ERR(write(p[0], "x", 1), EBADF);        /* read end is not writable */

    /* redirect stdout into the pipe with dup2, then restore it */
    fflush(stdout);
    int saved = MUST(dup(1));
    MUST(dup2(p[1], 1));
    printf("captured line %d\n", 42);
    fflush(stdout);
    MUST(dup2(saved, 1));
    close(saved);
    memset(buf, 0, sizeof buf);
    CHECK_EQ(read(p[0], buf, sizeof buf), 17);
    printf("dup2 captured: %s", buf);
    CHECK_EQ(dup2(p[0], p[0]), p[0]);               /* dup2 onto itself is a no-op */
    CHECK_ERR(dup3(p[0], p[0], 0), EINVAL);

    /* EOF once every write end is closed */
    close(p[1]);
    CHECK_EQ(read(p[0], buf, sizeof buf), 0);
    close(p[0]);

    /* writing with no reader: EPIPE when SIGPIPE is ignored */
    MUST(pipe(p));
    close(p[0]);
    signal(SIGPIPE, SIG_IGN);
    CHECK_ERR(write(p[1], "x", 1), EPIPE);
    signal(SIGPIPE, SIG_DFL);
    /* ... and death by SIGPIPE in a child with the default action */
    fflush(stdout);
    pid_t pid = MUST(fork());
    if (pid == 0) {
        (void)write(p[1], "x", 1);
        _exit(99);
    }
    int status;
    MUST(waitpid(pid, &status, 0));
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE);
    printf("child writing to a closed pipe: %s\n",
           WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "exited");
    close(p[1]);

    /* pipe2 flags, non-blocking reads and writes */
    MUST(pipe2(p, O_CLOEXEC | O_NONBLOCK));
    CHECK_EQ(fcntl(p[0], F_GETFD), FD_CLOEXEC);
    CHECK(fcntl(p[1], F_GETFL) & O_NONBLOCK);
    CHECK_ERR(read(p[0], buf, 1), EAGAIN);
    long filled = 0;
    static char big[65536];
    for (;;) {
        ssize_t w = write(p[1], big, sizeof big);
        if (w < 0) { CHECK_EQ(errno, EAGAIN); break; }
        filled += w;
        if (filled > (1 << 24)) break;
    }
    printf("non-blocking pipe filled: capacity>=4096: %d\n", filled >= 4096);
    struct pollfd pf[2] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}};
    CHECK_EQ(poll(pf, 2, 0), 1);
    CHECK(pf[0].revents & POLLIN);
    CHECK(!(pf[1].revents & POLLOUT));
    close(p[0]);
    close(p[1]);

    /* poll: nothing ready times out, then ready */
    MUST(pipe(p));
    struct pollfd one = {p[0], POLLIN, 0};
    CHECK_EQ(poll(&one, 1, 10), 0);
    CHECK_EQ(write(p[1], "!", 1), 1);
    CHECK_EQ(poll(&one, 1, 1000), 1);
    CHECK(one.revents & POLLIN);
    close(p[1]);
    CHECK_EQ(read(p[0], buf, 1), 1);
    CHECK_EQ(poll(&one, 1, 1000), 1);
    CHECK(one.revents & POLLHUP);
    close(p[0]);

    /* parent <-> child round trip: the child upper-cases what it reads */
    int down[2], up[2];
    MUST(pipe(down));
    MUST(pipe(up));
    fflush(stdout);
    pid = MUST(fork());
    if (pid == 0) {
        close(down[1]);
        close(up[0]);
        ssize_t n;
        char c[64];
        while ((n = read(down[0], c, sizeof c)) > 0) {
            for (ssize_t i = 0; i < n; i++)
                if (c[i] >= 'a' && c[i] <= 'z') c[i] -= 32;
            if (write(up[1], c, n) != n) _exit(2);
        }
        _exit(n == 0 ? 0 : 3);
    }
    close(down[0]);
    close(up[1]);
    const char *words[] = {"alpha ", "beta ", "gamma"};
    char got[64] = {0};
    size_t have = 0;
    for (int i = 0; i < 3; i++) {
        size_t len = strlen(words[i]);
        CHECK_EQ(write(down[1], words[i], len), len);
        size_t want = have + len;
        while (have < want) {
            ssize_t r = read(up[0], got + have, want - have);
            if (r <= 0) break;
            have += r;
        }
    }
    close(down[1]);
    CHECK_EQ(read(up[0], buf, 1), 0);
    close(up[0]);
    MUST(waitpid(pid, &status, 0));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    printf("round trip: %s\n", got);

    /* 1 MiB through a pipe from a child, checksummed (blocking, partial reads) */
    MUST(pipe(p));
    fflush(stdout);
    pid = MUST(fork());
    if (pid == 0) {
        close(p[0]);
        for (int c = 0; c < 16; c++) {
            for (unsigned i = 0; i < sizeof big; i++) big[i] = (char)(i ^ c);
            size_t off = 0;
            while (off < sizeof big) {
                ssize_t w = write(p[1], big + off, sizeof big - off);
                if (w <= 0) _exit(4);
                off += w;
            }
        }
        _exit(0);
    }
    close(p[1]);
    unsigned long total = 0;
    unsigned long long sum = FNV_INIT;
    ssize_t r;
    while ((r = read(p[0], buf, sizeof buf)) > 0) {
        sum = fnv1a(sum, buf, r);
        total += r;
    }
    close(p[0]);
    MUST(waitpid(pid, &status, 0));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    printf("bulk: %lu bytes, hash %016llx\n", total, sum);
    return DONE("pipes");
}
