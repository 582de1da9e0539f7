#include "check.h"
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

static void show(const char *path) {
    char buf[128] = {0};
    int fd = open(path, O_RDONLY);
    if (fd < 0) { printf("%s: errno %d\n", path, errno); return; }
    int n = read(fd, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    printf("%s: %s", path, buf);
    close(fd);
}

int main(int argc, char **argv) {
    CHECK(chdir("/home") == 0);
    show("../../../../etc/passwd");
    show("/../../etc/passwd");
    CHECK(symlink("/etc/passwd", "pw") == 0);
    show("pw");
    CHECK(symlink("../../../../../../../../etc/passwd", "up") == 0);
    show("up");
    CHECK(symlink(argv[1], "host") == 0);  /* a host path outside the root */
    show("host");
    /* The read-only mount. */
    show("/ro/file");
    CHECK(open("/ro/file", O_WRONLY) < 0 && errno == EROFS);
    CHECK(open("/ro/file", O_RDONLY | O_TRUNC) < 0 && errno == EROFS);
    CHECK(open("/ro/new", O_CREAT | O_WRONLY, 0644) < 0 && errno == EROFS);
    CHECK(mkdir("/ro/dir", 0755) < 0 && errno == EROFS);
    CHECK(unlink("/ro/file") < 0 && errno == EROFS);
    CHECK(rename("/ro/file", "/ro/other") < 0 && errno == EROFS);
    CHECK(rename("/ro/file", "/home/moved") < 0 && errno == EXDEV);
    CHECK(access("/ro/file", R_OK) == 0);
    CHECK(access("/ro/file", W_OK) < 0 && errno == EROFS);
    CHECK(chmod("/ro/file", 0777) < 0 && errno == EROFS);
    CHECK(rmdir("/ro") < 0 && errno == EBUSY);
    DONE();
}
