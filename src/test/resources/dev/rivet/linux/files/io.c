#include "check.h"
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/sendfile.h>

int main(void) {
    char buf[64] = {0};
    struct stat st;
    umask(022);
    int fd = open("/tmp/a.txt", O_CREAT | O_RDWR | O_TRUNC, 0666);
    CHECK(fd >= 3);
    CHECK(write(fd, "hello world\n", 12) == 12);
    CHECK(lseek(fd, 0, SEEK_CUR) == 12);
    CHECK(lseek(fd, 6, SEEK_SET) == 6);
    CHECK(read(fd, buf, 5) == 5 && memcmp(buf, "world", 5) == 0);
    CHECK(pread(fd, buf, 5, 0) == 5 && memcmp(buf, "hello", 5) == 0);
    CHECK(lseek(fd, 0, SEEK_CUR) == 11);
    CHECK(pwrite(fd, "HELLO", 5, 0) == 5);
    CHECK(lseek(fd, -1, SEEK_SET) < 0 && errno == EINVAL);
    CHECK(fstat(fd, &st) == 0 && st.st_size == 12 && S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0644);
    CHECK(ftruncate(fd, 100) == 0 && fstat(fd, &st) == 0 && st.st_size == 100);
    CHECK(ftruncate(fd, 12) == 0 && lseek(fd, 0, SEEK_END) == 12);
    CHECK(lseek(fd, 0, SEEK_DATA) == 0 && lseek(fd, 0, SEEK_HOLE) == 12);
    CHECK(lseek(fd, 12, SEEK_DATA) < 0 && errno == ENXIO);
    int d = dup(fd);
    CHECK(lseek(d, 0, SEEK_SET) == 0 && lseek(fd, 0, SEEK_CUR) == 0);
    memset(buf, 0, sizeof buf);
    CHECK(read(fd, buf, sizeof buf) == 12);
    printf("content: %s", buf);
    close(d);
    close(fd);

    fd = open("/tmp/a.txt", O_WRONLY | O_APPEND);
    CHECK((fcntl(fd, F_GETFL) & (O_APPEND | O_ACCMODE)) == (O_APPEND | O_WRONLY));
    CHECK(lseek(fd, 0, SEEK_SET) == 0 && write(fd, "more\n", 5) == 5);
    CHECK(read(fd, buf, 1) < 0 && errno == EBADF);
    CHECK(fcntl(fd, F_SETFL, O_NONBLOCK) == 0 && (fcntl(fd, F_GETFL) & (O_APPEND | O_NONBLOCK)) == O_NONBLOCK);
    CHECK(fcntl(fd, F_GETFD) == 0);
    CHECK(fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC);
    close(fd);
    CHECK(stat("/tmp/a.txt", &st) == 0 && st.st_size == 17);
    CHECK(open("/tmp/a.txt", O_CREAT | O_EXCL | O_WRONLY, 0600) < 0 && errno == EEXIST);
    CHECK(open("/tmp/missing", O_RDONLY) < 0 && errno == ENOENT);
    CHECK(close(fd) < 0 && errno == EBADF);

    umask(077);
    fd = open("/tmp/u.txt", O_CREAT | O_WRONLY, 0666);
    CHECK(fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0600);
    close(fd);

    fd = open("/tmp/v.txt", O_CREAT | O_RDWR | O_TRUNC, 0600);
    struct iovec iov[2] = {{"abc", 3}, {"defg", 4}};
    CHECK(writev(fd, iov, 2) == 7);
    char x1[3], x2[4];
    struct iovec r[2] = {{x1, 3}, {x2, 4}};
    CHECK(preadv(fd, r, 2, 0) == 7 && memcmp(x1, "abc", 3) == 0 && memcmp(x2, "defg", 4) == 0);
    int out = open("/tmp/w.txt", O_CREAT | O_RDWR | O_TRUNC, 0600);
    off_t off = 1;
    CHECK(sendfile(out, fd, &off, 100) == 6 && off == 7);
    loff_t o1 = 0;
    CHECK(copy_file_range(fd, &o1, out, NULL, 3, 0) == 3 && o1 == 3);
    memset(buf, 0, sizeof buf);
    CHECK(pread(out, buf, sizeof buf, 0) == 9);
    printf("copied: %s\n", buf);
    close(out);
    close(fd);

    /* Transfers larger than one internal chunk are complete for regular files. */
    size_t big = 3 << 20;
    char *a = malloc(big), *b = malloc(big);
    for (size_t i = 0; i < big; i++) a[i] = (char) (i * 7 + (i >> 12));
    fd = open("/tmp/big", O_CREAT | O_RDWR | O_TRUNC, 0600);
    CHECK(write(fd, a, big) == (ssize_t) big);
    CHECK(pread(fd, b, big, 0) == (ssize_t) big && memcmp(a, b, big) == 0);
    close(fd);

    fd = open("/dev/null", O_RDWR);
    CHECK(fd >= 0 && write(fd, "abc", 3) == 3 && read(fd, buf, 10) == 0);
    CHECK(fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3));
    close(fd);
    fd = open("/dev/zero", O_RDONLY);
    memset(buf, 1, sizeof buf);
    CHECK(read(fd, buf, sizeof buf) == sizeof buf && buf[0] == 0 && buf[63] == 0);
    close(fd);
    fd = open("/dev/full", O_WRONLY);
    CHECK(write(fd, "x", 1) < 0 && errno == ENOSPC);
    close(fd);
    fd = open("/dev/urandom", O_RDONLY);
    CHECK(read(fd, buf, 32) == 32);
    close(fd);
    CHECK(access("/dev/null", R_OK | W_OK) == 0);
    CHECK(open("/dev/tty", O_RDWR) < 0 && errno == ENXIO);  /* the console is not a terminal here */
    DONE();
}
