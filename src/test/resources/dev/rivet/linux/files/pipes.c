#include "check.h"
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

static volatile int sigpipes;
static void on_sigpipe(int sig) { sigpipes++; }

int main(void) {
    char buf[64] = {0};
    int p[2];
    CHECK(pipe(p) == 0);
    CHECK(write(p[1], "pipe!", 5) == 5);
    int avail = -1;
    CHECK(ioctl(p[0], FIONREAD, &avail) == 0 && avail == 5);
    CHECK(read(p[0], buf, sizeof buf) == 5 && strcmp(buf, "pipe!") == 0);
    CHECK(lseek(p[0], 0, SEEK_SET) < 0 && errno == ESPIPE);
    CHECK(pread(p[0], buf, 1, 0) < 0 && errno == ESPIPE);
    CHECK(fcntl(p[0], F_GETPIPE_SZ) == 65536);
    CHECK(fcntl(p[0], F_SETPIPE_SZ, 100000) == 131072 && fcntl(p[1], F_GETPIPE_SZ) == 131072);

    /* dup2 sends stdout into the pipe. */
    fflush(stdout);
    int saved = dup(1);
    CHECK(dup2(p[1], 1) == 1);
    printf("through pipe\n");
    fflush(stdout);
    CHECK(dup2(saved, 1) == 1);
    close(saved);
    memset(buf, 0, sizeof buf);
    CHECK(read(p[0], buf, sizeof buf) == 13);
    printf("got: %s", buf);

    CHECK(fcntl(p[0], F_SETFL, O_NONBLOCK) == 0);
    CHECK(read(p[0], buf, 1) < 0 && errno == EAGAIN);
    close(p[1]);
    CHECK(read(p[0], buf, sizeof buf) == 0);
    close(p[0]);

    CHECK(pipe2(p, O_CLOEXEC | O_NONBLOCK) == 0);
    CHECK(fcntl(p[0], F_GETFD) == FD_CLOEXEC && (fcntl(p[1], F_GETFL) & O_NONBLOCK));
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", p[1]);
    int w2 = open(path, O_WRONLY);
    CHECK(w2 >= 0 && write(w2, "zz", 2) == 2 && read(p[0], buf, 2) == 2);
    close(w2);
    close(p[1]);

    /* Writing to a pipe without readers: EPIPE and SIGPIPE. */
    signal(SIGPIPE, on_sigpipe);
    CHECK(pipe(p) == 0);
    close(p[0]);
    CHECK(write(p[1], "x", 1) < 0 && errno == EPIPE);
    CHECK(sigpipes == 1);
    signal(SIGPIPE, SIG_DFL);
    pid_t child = fork();
    if (child == 0) {
        write(p[1], "x", 1);
        _exit(0);
    }
    int status;
    CHECK(waitpid(child, &status, 0) == child && WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE);
    close(p[1]);

    /* A FIFO between two processes: each open waits for the other side. */
    CHECK(mkfifo("/tmp/fifo", 0600) == 0);
    struct stat st;
    CHECK(stat("/tmp/fifo", &st) == 0 && S_ISFIFO(st.st_mode));
    CHECK(open("/tmp/fifo", O_WRONLY | O_NONBLOCK) < 0 && errno == ENXIO);
    child = fork();
    if (child == 0) {
        int w = open("/tmp/fifo", O_WRONLY);
        write(w, "via fifo", 8);
        _exit(0);
    }
    int r = open("/tmp/fifo", O_RDONLY);
    memset(buf, 0, sizeof buf);
    int got = 0, n;
    while ((n = read(r, buf + got, sizeof buf - got)) > 0) got += n;
    printf("fifo: %s\n", buf);
    close(r);
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status));
    DONE();
}
