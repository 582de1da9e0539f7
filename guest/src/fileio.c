/*
 * fileio: open/creat/write/read/lseek/pread/pwrite/readv/writev/fstat/stat/rename/unlink/
 * ftruncate/fsync/fcntl/dup/openat/faccessat, O_APPEND/O_EXCL/O_TRUNC, errno values, and stdio
 * on top. Works in a fresh directory "fileio.d" inside argv[1] (default ".").
 */
#include "check.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

/* dir/name in one of four rotating buffers, so that a call may use several paths */
static const char *p(const char *dir, const char *name) {
    static char paths[4][4096];
    static int next;
    char *path = paths[next++ & 3];
    snprintf(path, sizeof paths[0], "%s/%s", dir, name);
    return path;
}

int main(int argc, char **argv) {
    const char *base = argc > 1 ? argv[1] : ".";
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/fileio.d", base);
    /* clean up leftovers of an earlier run */
    static const char *names[] = {"a.txt", "b.txt", "c.txt", "big.bin", "app.txt", "stdio.txt"};
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) unlink(p(dir, names[i]));
    rmdir(dir);
    umask(022);
    MUST(mkdir(dir, 0755));

    /* create, write, close */
    int fd = MUST(open(p(dir, "a.txt"), O_CREAT | O_WRONLY | O_TRUNC, 0644));
    const char msg[] = "hello file\nsecond line\n";
    CHECK_EQ(write(fd, msg, sizeof msg - 1), sizeof msg - 1);
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), sizeof msg - 1);
    CHECK_ERR(read(fd, (char[4]){0}, 4), EBADF);     /* write-only fd */
    MUST(close(fd));
    CHECK_ERR(close(fd), EBADF);

    /* O_EXCL on an existing file, ENOENT for a missing one, ENOTDIR through a file */
    CHECK_ERR(open(p(dir, "a.txt"), O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
    CHECK_ERR(open(p(dir, "missing"), O_RDONLY), ENOENT);
    CHECK_ERR(open(p(dir, "a.txt/x"), O_RDONLY), ENOTDIR);
    CHECK_ERR(open(dir, O_WRONLY), EISDIR);

    /* read back, lseek SEEK_SET/CUR/END, read at EOF */
    fd = MUST(open(p(dir, "a.txt"), O_RDONLY));
    char buf[128] = {0};
    CHECK_EQ(read(fd, buf, 5), 5);
    printf("read 5: \"%.5s\"\n", buf);
    CHECK_EQ(lseek(fd, 6, SEEK_SET), 6);
    CHECK_EQ(read(fd, buf, 4), 4);
    printf("read at 6: \"%.4s\"\n", buf);
    CHECK_EQ(lseek(fd, -5, SEEK_END), (off_t)sizeof msg - 1 - 5);
    memset(buf, 0, sizeof buf);
    CHECK_EQ(read(fd, buf, sizeof buf), 5);
    printf("last 5: \"%.4s\\n\"\n", buf);
    CHECK_EQ(read(fd, buf, sizeof buf), 0);
    CHECK_ERR(lseek(fd, -100, SEEK_SET), EINVAL);
    CHECK_EQ(lseek(fd, 2, SEEK_CUR), (off_t)sizeof msg + 1);   /* past EOF is fine */
    CHECK_ERR(write(fd, "x", 1), EBADF);
    MUST(close(fd));

    /* fstat / stat / lstat */
    struct stat st, st2;
    fd = MUST(open(p(dir, "a.txt"), O_RDWR));
    MUST(fstat(fd, &st));
    MUST(stat(p(dir, "a.txt"), &st2));
    CHECK(S_ISREG(st.st_mode));
    CHECK_EQ(st.st_mode & 0777, 0644);
    CHECK_EQ(st.st_size, sizeof msg - 1);
    CHECK_EQ(st.st_nlink, 1);
    CHECK(st.st_ino == st2.st_ino && st.st_dev == st2.st_dev);
    CHECK_EQ(st.st_uid, getuid());
    printf("stat: regular=%d size=%lld nlink=%lu\n", S_ISREG(st.st_mode) != 0, (long long)st.st_size,
           (unsigned long)st.st_nlink);
    MUST(stat(dir, &st2));
    CHECK(S_ISDIR(st2.st_mode));

    /* pread/pwrite do not move the file offset */
    CHECK_EQ(lseek(fd, 3, SEEK_SET), 3);
    CHECK_EQ(pwrite(fd, "HELLO", 5, 0), 5);
    CHECK_EQ(pread(fd, buf, 10, 6), 10);
    printf("pread at 6: \"%.4s\"\n", buf);
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), 3);
    CHECK_EQ(pwrite(fd, "Z", 1, 40), 1);        /* extends the file, leaving a hole of zeros */
    MUST(fstat(fd, &st));
    CHECK_EQ(st.st_size, 41);
    CHECK_EQ(pread(fd, buf, 41, 0), 41);
    CHECK_EQ(buf[30], 0);
    CHECK_EQ(buf[40], 'Z');
    printf("after pwrite: \"%.10s\" size=%lld\n", buf, (long long)st.st_size);

    /* ftruncate shrink then grow (zero fill) */
    MUST(ftruncate(fd, 5));
    MUST(fstat(fd, &st));
    CHECK_EQ(st.st_size, 5);
    MUST(ftruncate(fd, 12));
    memset(buf, 'x', sizeof buf);
    CHECK_EQ(pread(fd, buf, sizeof buf, 0), 12);
    CHECK(memcmp(buf, "HELLO\0\0\0\0\0\0\0", 12) == 0);
    printf("truncate: size 5 then 12, tail zero=%d\n", buf[11] == 0);
    MUST(fsync(fd));
    MUST(fdatasync(fd));

    /* fcntl and dup share the offset */
    int fl = MUST(fcntl(fd, F_GETFL));
    CHECK_EQ(fl & O_ACCMODE, O_RDWR);
    CHECK_EQ(fcntl(fd, F_GETFD), 0);
    MUST(fcntl(fd, F_SETFD, FD_CLOEXEC));
    CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
    int fd2 = MUST(dup(fd));
    CHECK(fd2 > fd);
    CHECK_EQ(fcntl(fd2, F_GETFD), 0);           /* dup clears close-on-exec */
    CHECK_EQ(lseek(fd, 7, SEEK_SET), 7);
    CHECK_EQ(lseek(fd2, 0, SEEK_CUR), 7);
    int fd3 = MUST(fcntl(fd, F_DUPFD_CLOEXEC, 50));
    CHECK(fd3 >= 50);
    CHECK_EQ(fcntl(fd3, F_GETFD), FD_CLOEXEC);
    MUST(close(fd3));
    MUST(close(fd2));
    MUST(close(fd));

    /* readv / writev */
    fd = MUST(open(p(dir, "b.txt"), O_CREAT | O_RDWR | O_TRUNC, 0600));
    struct iovec iov[3] = {{"one ", 4}, {"two ", 4}, {"three\n", 6}};
    CHECK_EQ(writev(fd, iov, 3), 14);
    char r1[3], r2[20] = {0};
    struct iovec riov[2] = {{r1, 3}, {r2, sizeof r2}};
    CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
    CHECK_EQ(readv(fd, riov, 2), 14);
    printf("readv: \"%.3s\" + \"%.10s\"\n", r1, r2);
    MUST(close(fd));

    /* O_APPEND always writes at the end */
    fd = MUST(open(p(dir, "app.txt"), O_CREAT | O_WRONLY | O_APPEND, 0644));
    CHECK_EQ(write(fd, "abc", 3), 3);
    CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
    CHECK_EQ(write(fd, "def", 3), 3);
    MUST(close(fd));
    fd = MUST(open(p(dir, "app.txt"), O_RDONLY));
    memset(buf, 0, sizeof buf);
    CHECK_EQ(read(fd, buf, sizeof buf), 6);
    printf("append: \"%s\"\n", buf);
    MUST(close(fd));

    /* openat / fstatat / faccessat relative to a directory fd */
    int dfd = MUST(open(dir, O_RDONLY | O_DIRECTORY));
    fd = MUST(openat(dfd, "c.txt", O_CREAT | O_WRONLY, 0640));
    CHECK_EQ(write(fd, "c", 1), 1);
    MUST(close(fd));
    MUST(fstatat(dfd, "c.txt", &st, 0));
    CHECK_EQ(st.st_size, 1);
    CHECK_EQ(faccessat(dfd, "c.txt", R_OK | W_OK, 0), 0);
    CHECK_ERR(faccessat(dfd, "nope", F_OK, 0), ENOENT);

    /* rename over an existing file, then unlink */
    MUST(renameat(dfd, "c.txt", dfd, "b.txt"));
    CHECK_ERR(fstatat(dfd, "c.txt", &st, 0), ENOENT);
    MUST(fstatat(dfd, "b.txt", &st, 0));
    CHECK_EQ(st.st_size, 1);
    MUST(rename(p(dir, "b.txt"), p(dir, "c.txt")));
    CHECK_ERR(access(p(dir, "b.txt"), F_OK), ENOENT);
    MUST(unlink(p(dir, "c.txt")));
    CHECK_ERR(unlink(p(dir, "c.txt")), ENOENT);
    MUST(close(dfd));

    /* an unlinked file stays readable through an open descriptor */
    fd = MUST(open(p(dir, "a.txt"), O_RDONLY));
    MUST(unlink(p(dir, "a.txt")));
    CHECK_EQ(read(fd, buf, 5), 5);
    MUST(fstat(fd, &st));
    CHECK_EQ(st.st_nlink, 0);
    MUST(close(fd));

    /* a larger file in chunks, checksummed */
    fd = MUST(open(p(dir, "big.bin"), O_CREAT | O_RDWR | O_TRUNC, 0644));
    static unsigned char chunk[65536];
    unsigned long long sum = FNV_INIT;
    for (int c = 0; c < 16; c++) {
        for (unsigned i = 0; i < sizeof chunk; i++) chunk[i] = (unsigned char)(i * 131 + c * 7);
        CHECK_EQ(write(fd, chunk, sizeof chunk), sizeof chunk);
    }
    CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
    ssize_t n;
    long total = 0;
    while ((n = read(fd, chunk, 10000)) > 0) {
        sum = fnv1a(sum, chunk, n);
        total += n;
    }
    printf("big file: %ld bytes, hash %016llx\n", total, sum);
    MUST(close(fd));

    /* umask applies to new files */
    mode_t old = umask(077);
    fd = MUST(open(p(dir, "stdio.txt"), O_CREAT | O_WRONLY, 0666));
    MUST(fstat(fd, &st));
    CHECK_EQ(st.st_mode & 0777, 0600);
    MUST(close(fd));
    umask(old);

    /* stdio over the file system */
    FILE *f = fopen(p(dir, "stdio.txt"), "w+");
    CHECK(f != NULL);
    for (int i = 0; i < 5; i++) fprintf(f, "line %d: %d\n", i, i * i);
    rewind(f);
    char line[64];
    int lines = 0;
    while (fgets(line, sizeof line, f)) lines++;
    CHECK_EQ(lines, 5);
    CHECK_EQ(ftell(f), 4 * 10 + 11);
    fclose(f);
    printf("stdio: %d lines\n", lines);

    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) unlink(p(dir, names[i]));
    MUST(rmdir(dir));
    CHECK_ERR(access(dir, F_OK), ENOENT);
    return DONE("fileio");
}
