#include "check.h"
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <linux/fs.h>

static void list(const char *path) {
    DIR *d = opendir(path);
    struct dirent *e;
    printf("%s:", path);
    while ((e = readdir(d))) printf(" %s%s", e->d_name, e->d_type == DT_DIR ? "/" : e->d_type == DT_LNK ? "@" : "");
    printf("\n");
    closedir(d);
}

int main(void) {
    struct stat st;
    char buf[256];
    CHECK(mkdir("/tmp/w", 0755) == 0);
    CHECK(chdir("/tmp/w") == 0);
    CHECK(getcwd(buf, sizeof buf) && strcmp(buf, "/tmp/w") == 0);
    CHECK(syscall(SYS_getcwd, buf, 3) < 0 && errno == ERANGE);
    CHECK(syscall(SYS_getcwd, buf, sizeof buf) == 7);
    CHECK(mkdir("sub", 0755) == 0 && mkdir("sub", 0755) < 0 && errno == EEXIST);
    CHECK(mkdir("sub/x/y", 0755) < 0 && errno == ENOENT);
    close(open("sub/zeta", O_CREAT | O_WRONLY, 0600));
    close(open("sub/alpha", O_CREAT | O_WRONLY, 0600));
    CHECK(mkdir("sub/mid", 0700) == 0);
    CHECK(symlink("alpha", "sub/link") == 0);
    list("sub");
    CHECK(rmdir("sub") < 0 && errno == ENOTEMPTY);
    CHECK(unlink("sub") < 0 && errno == EISDIR);
    CHECK(rmdir("sub/alpha") < 0 && errno == ENOTDIR);
    CHECK(rename("sub/zeta", "sub/beta") == 0);
    CHECK(access("sub/beta", F_OK) == 0 && access("sub/zeta", F_OK) < 0 && errno == ENOENT);
    CHECK(rename("sub/beta", "sub/mid") < 0 && errno == EISDIR);
    CHECK(rename("sub", "sub/mid/inside") < 0 && errno == EINVAL);
    CHECK(syscall(SYS_renameat2, AT_FDCWD, "sub/beta", AT_FDCWD, "sub/alpha", RENAME_NOREPLACE) < 0 && errno == EEXIST);
    int fd = open("sub/beta", O_WRONLY);
    CHECK(write(fd, "b", 1) == 1);
    close(fd);
    CHECK(syscall(SYS_renameat2, AT_FDCWD, "sub/beta", AT_FDCWD, "sub/alpha", RENAME_EXCHANGE) == 0);
    CHECK(stat("sub/alpha", &st) == 0 && st.st_size == 1 && stat("sub/beta", &st) == 0 && st.st_size == 0);
    CHECK(link("sub/alpha", "hard") == 0 && stat("hard", &st) == 0 && st.st_nlink == 2);
    CHECK(link("sub", "dirlink") < 0 && errno == EPERM);

    char lb[64] = {0};
    CHECK(readlink("sub/link", lb, sizeof lb) == 5 && strcmp(lb, "alpha") == 0);
    CHECK(readlink("sub/alpha", lb, sizeof lb) < 0 && errno == EINVAL);
    CHECK(lstat("sub/link", &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(stat("sub/link", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 1);
    CHECK(open("sub/link", O_RDONLY | O_NOFOLLOW) < 0 && errno == ELOOP);
    CHECK(symlink("x", "sub/link") < 0 && errno == EEXIST);
    CHECK(symlink("nowhere", "dangling") == 0 && stat("dangling", &st) < 0 && errno == ENOENT);
    fd = open("dangling", O_CREAT | O_WRONLY, 0644);
    CHECK(fd >= 0 && access("nowhere", F_OK) == 0);
    close(fd);

    int dfd = open("sub", O_RDONLY | O_DIRECTORY);
    fd = openat(dfd, "rel", O_CREAT | O_WRONLY, 0644);
    CHECK(fd >= 0 && write(fd, "data", 4) == 4);
    CHECK(openat(fd, "x", O_RDONLY) < 0 && errno == ENOTDIR);
    close(fd);
    CHECK(fstatat(dfd, "rel", &st, 0) == 0 && st.st_size == 4);
    CHECK(unlinkat(dfd, "rel", 0) == 0 && fstatat(dfd, "rel", &st, 0) < 0);
    CHECK(mkdirat(dfd, "made", 0755) == 0 && unlinkat(dfd, "made", AT_REMOVEDIR) == 0);
    CHECK(fchdir(dfd) == 0 && getcwd(buf, sizeof buf) && strcmp(buf, "/tmp/w/sub") == 0);
    close(dfd);
    CHECK(chdir("..") == 0);
    int pfd = open("sub", O_PATH);
    CHECK(read(pfd, buf, 1) < 0 && errno == EBADF);
    CHECK(fstat(pfd, &st) == 0 && S_ISDIR(st.st_mode));
    CHECK(fchdir(pfd) == 0 && chdir("/tmp/w") == 0);
    close(pfd);
    CHECK(chdir("hard") < 0 && errno == ENOTDIR);

    struct timespec ts[2] = {{1000000000, 0}, {1500000000, 123}};
    CHECK(utimensat(AT_FDCWD, "hard", ts, 0) == 0);
    CHECK(stat("hard", &st) == 0 && st.st_mtim.tv_sec == 1500000000 && st.st_atim.tv_sec == 1000000000);
    struct timespec omit[2] = {{0, UTIME_OMIT}, {5, 0}};
    CHECK(utimensat(AT_FDCWD, "hard", omit, 0) == 0);
    CHECK(stat("hard", &st) == 0 && st.st_mtim.tv_sec == 5 && st.st_atim.tv_sec == 1000000000);
    CHECK(chmod("hard", 04751) == 0 && stat("hard", &st) == 0 && (st.st_mode & 07777) == 04751);
    CHECK(chown("hard", getuid(), getgid()) == 0 && chown("hard", getuid() + 1, -1) < 0 && errno == EPERM);
    CHECK(truncate("hard", 10) == 0 && stat("sub/alpha", &st) == 0 && st.st_size == 10);
    CHECK(mknod("node", S_IFREG | 0600, 0) == 0 && stat("node", &st) == 0 && S_ISREG(st.st_mode));
    CHECK(mknod("cdev", S_IFCHR | 0600, makedev(1, 3)) < 0 && errno == EPERM);
    fd = open(".", O_TMPFILE | O_RDWR, 0600);
    CHECK(fd >= 0 && write(fd, "t", 1) == 1 && fstat(fd, &st) == 0 && st.st_size == 1);
    close(fd);
    CHECK(open("sub", O_WRONLY) < 0 && errno == EISDIR);
    CHECK(open("hard", O_RDONLY | O_DIRECTORY) < 0 && errno == ENOTDIR);
    CHECK(open("newdir/", O_CREAT | O_WRONLY, 0600) < 0 && errno == EISDIR);

    /* getdents64 with a buffer that holds only a few entries at a time. */
    for (int i = 0; i < 40; i++) {
        char n[32];
        snprintf(n, sizeof n, "many/f%02d", i);
        if (i == 0) mkdir("many", 0755);
        close(open(n, O_CREAT | O_WRONLY, 0600));
    }
    fd = open("many", O_RDONLY | O_DIRECTORY);
    char small[100];
    int entries = 0, calls = 0;
    long n;
    while ((n = syscall(SYS_getdents64, fd, small, sizeof small)) > 0) {
        calls++;
        for (long off = 0; off < n; off += ((struct dirent *) (small + off))->d_reclen) entries++;
    }
    CHECK(n == 0 && entries == 42 && calls > 10);
    CHECK(lseek(fd, 0, SEEK_SET) == 0 && syscall(SYS_getdents64, fd, small, sizeof small) > 0);
    CHECK(syscall(SYS_getdents64, fd, small, 10) < 0 && errno == EINVAL);
    close(fd);
    list("/tmp/w");
    DONE();
}
