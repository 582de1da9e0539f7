/*
 * dirs: mkdir/rmdir, opendir/readdir (printed sorted), getdents through readdir on a big
 * directory, getcwd/chdir/fchdir, symlink/readlink/lstat, hard links, mkdirat/unlinkat.
 * Works in a fresh directory "dirs.d" inside argv[1] (default ".").
 */
#include "check.h"
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* prints the sorted entry names of a directory, without . and .. */
static int list(const char *label, const char *d) {
    DIR *dp = opendir(d);
    CHECK(dp != NULL);
    if (!dp) return -1;
    char *names[512];
    int n = 0, dots = 0;
    struct dirent *e;
    errno = 0;
    while ((e = readdir(dp)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) { dots++; continue; }
        if (n < 512) names[n++] = strdup(e->d_name);
    }
    CHECK_EQ(errno, 0);
    CHECK_EQ(dots, 2);
    closedir(dp);
    qsort(names, n, sizeof names[0], cmp);
    printf("%s (%d):", label, n);
    for (int i = 0; i < n && i < 12; i++) printf(" %s", names[i]);
    printf(n > 12 ? " ...\n" : "\n");
    for (int i = 0; i < n; i++) free(names[i]);
    return n;
}

static void rm_rf(const char *d) {
    DIR *dp = opendir(d);
    if (!dp) { unlink(d); return; }
    struct dirent *e;
    char sub[PATH_MAX];
    while ((e = readdir(dp)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        snprintf(sub, sizeof sub, "%s/%s", d, e->d_name);
        struct stat st;
        if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode)) rm_rf(sub);
        else unlink(sub);
    }
    closedir(dp);
    rmdir(d);
}

static void touch(const char *name) {
    int fd = MUST(open(name, O_CREAT | O_WRONLY | O_TRUNC, 0644));
    CHECK_EQ(write(fd, name, strlen(name)), strlen(name));
    close(fd);
}

static const char *base_name(const char *path) {
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

int main(int argc, char **argv) {
    const char *base = argc > 1 ? argv[1] : ".";
    char top[PATH_MAX], cwd[PATH_MAX], start[PATH_MAX];
    MUST(chdir(base));
    CHECK(getcwd(start, sizeof start) != NULL);
    CHECK(start[0] == '/');
    rm_rf("dirs.d");
    MUST(mkdir("dirs.d", 0755));
    CHECK_ERR(mkdir("dirs.d", 0755), EEXIST);
    MUST(chdir("dirs.d"));
    CHECK(getcwd(top, sizeof top) != NULL);
    printf("cwd basename after chdir: %s\n", base_name(top));
    CHECK(strncmp(top, start, strlen(start)) == 0);

    /* entries of several kinds */
    touch("zeta.txt");
    touch("alpha.txt");
    touch("Mixed-Case");
    MUST(mkdir("sub", 0700));
    MUST(mkdir("sub/deeper", 0755));
    touch("sub/inner.c");
    list("dirs.d", ".");
    list("sub", "sub");

    /* d_type where the file system reports it */
    DIR *dp = opendir(".");
    struct dirent *e;
    int types_ok = 1;
    while ((e = readdir(dp)) != NULL) {
        if (e->d_type == DT_UNKNOWN) continue;
        if (!strcmp(e->d_name, "sub")) types_ok &= e->d_type == DT_DIR;
        if (!strcmp(e->d_name, "zeta.txt")) types_ok &= e->d_type == DT_REG;
    }
    closedir(dp);
    CHECK(types_ok);

    /* chdir into a subdirectory, relative paths, "..", fchdir back */
    int topfd = MUST(open(".", O_RDONLY | O_DIRECTORY));
    MUST(chdir("sub/deeper"));
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    printf("cwd tail: %s\n", cwd + strlen(top));
    MUST(chdir("../.."));
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    CHECK(strcmp(cwd, top) == 0);
    MUST(chdir("sub"));
    MUST(fchdir(topfd));
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    CHECK(strcmp(cwd, top) == 0);
    CHECK_ERR(chdir("zeta.txt"), ENOTDIR);
    CHECK_ERR(chdir("nowhere"), ENOENT);
    char tiny[4];
    CHECK(getcwd(tiny, sizeof tiny) == NULL && errno == ERANGE);

    /* rmdir rules */
    CHECK_ERR(rmdir("sub"), ENOTEMPTY);
    CHECK_ERR(rmdir("zeta.txt"), ENOTDIR);
    CHECK_ERR(unlink("sub"), EISDIR);
    MUST(rmdir("sub/deeper"));

    /* symlinks: relative, absolute, dangling, to a directory; readlink, lstat vs stat */
    MUST(symlink("alpha.txt", "link-rel"));
    char abs_target[PATH_MAX + 16];
    snprintf(abs_target, sizeof abs_target, "%s/zeta.txt", top);
    MUST(symlink(abs_target, "link-abs"));
    MUST(symlink("does-not-exist", "link-dangling"));
    MUST(symlink("sub", "link-dir"));
    CHECK_ERR(symlink("x", "link-rel"), EEXIST);
    char lbuf[PATH_MAX];
    ssize_t n = readlink("link-rel", lbuf, sizeof lbuf - 1);
    CHECK_EQ(n, 9);
    lbuf[n < 0 ? 0 : n] = 0;
    printf("readlink link-rel -> %s\n", lbuf);
    n = readlink("link-abs", lbuf, sizeof lbuf - 1);
    CHECK_EQ(n, strlen(abs_target));
    lbuf[n < 0 ? 0 : n] = 0;
    CHECK(strcmp(lbuf, abs_target) == 0);
    n = readlink("link-rel", lbuf, 3);                   /* truncated, no terminator */
    CHECK_EQ(n, 3);
    CHECK_ERR(readlink("alpha.txt", lbuf, sizeof lbuf), EINVAL);
    CHECK_ERR(readlink("nothing-here", lbuf, sizeof lbuf), ENOENT);
    struct stat st, lst;
    MUST(lstat("link-rel", &lst));
    MUST(stat("link-rel", &st));
    CHECK(S_ISLNK(lst.st_mode));
    CHECK(S_ISREG(st.st_mode));
    CHECK_EQ(lst.st_size, 9);
    CHECK_EQ(st.st_size, 9);                             /* "alpha.txt" written by touch */
    CHECK_ERR(stat("link-dangling", &st), ENOENT);
    MUST(lstat("link-dangling", &lst));
    char content[32] = {0};
    int fd = MUST(open("link-abs", O_RDONLY));
    CHECK_EQ(read(fd, content, sizeof content), 8);
    close(fd);
    printf("read through absolute link: %s\n", content);
    CHECK_ERR(open("link-rel", O_RDONLY | O_NOFOLLOW), ELOOP);
    MUST(stat("link-dir/inner.c", &st));
    CHECK(S_ISREG(st.st_mode));
    MUST(symlink("loop-b", "loop-a"));
    MUST(symlink("loop-a", "loop-b"));
    CHECK_ERR(open("loop-a", O_RDONLY), ELOOP);
    MUST(readlinkat(topfd, "link-dir", lbuf, sizeof lbuf));
    char *rp = realpath("link-dir/../link-rel", NULL);
    CHECK(rp != NULL);
    if (rp) printf("realpath tail: %s\n", rp + strlen(top));
    free(rp);

    /* hard links share an inode */
    MUST(link("alpha.txt", "alpha.hard"));
    struct stat a, b;
    MUST(stat("alpha.txt", &a));
    MUST(stat("alpha.hard", &b));
    CHECK(a.st_ino == b.st_ino);
    CHECK_EQ(a.st_nlink, 2);
    MUST(unlink("alpha.txt"));
    MUST(stat("alpha.hard", &b));
    CHECK_EQ(b.st_nlink, 1);
    CHECK_ERR(stat("link-rel", &st), ENOENT);            /* now dangling */

    /* *at variants */
    MUST(mkdirat(topfd, "made-at", 0755));
    MUST(unlinkat(topfd, "made-at", AT_REMOVEDIR));
    MUST(unlinkat(topfd, "link-dangling", 0));
    MUST(fstatat(topfd, "link-abs", &lst, AT_SYMLINK_NOFOLLOW));
    CHECK(S_ISLNK(lst.st_mode));

    list("dirs.d after links", ".");

    /* many entries: exercises getdents64 continuation */
    MUST(mkdir("many", 0755));
    char nm[64];
    for (int i = 0; i < 300; i++) {
        snprintf(nm, sizeof nm, "many/file-with-a-longish-name-%03d", i);
        touch(nm);
    }
    CHECK_EQ(list("many", "many"), 300);

    /* seekdir/telldir/rewinddir */
    dp = opendir("many");
    int count1 = 0, count2 = 0;
    while (readdir(dp)) count1++;
    rewinddir(dp);
    while (readdir(dp)) count2++;
    CHECK_EQ(count1, 302);
    CHECK_EQ(count1, count2);
    closedir(dp);

    MUST(fchdir(topfd));
    MUST(chdir(".."));
    close(topfd);
    rm_rf("dirs.d");
    CHECK_ERR(access("dirs.d", F_OK), ENOENT);
    return DONE("dirs");
}
