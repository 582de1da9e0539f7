#include "check.h"
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

static void show(const char *path, const char *prefix) {
    FILE *f = fopen(path, "r");
    char line[256];
    if (!f) { printf("cannot open %s\n", path); return; }
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, prefix, strlen(prefix))) {
            printf("%s", line);
            break;
        }
    }
    fclose(f);
}

int main(int argc, char **argv) {
    char buf[256];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    CHECK(n > 0);
    buf[n > 0 ? n : 0] = 0;
    printf("exe: %s\n", buf);
    int fd = open("/proc/self/exe", O_RDONLY);
    CHECK(fd >= 0 && read(fd, buf, 4) == 4 && memcmp(buf, "\177ELF", 4) == 0);
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    n = readlink(link, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    printf("fd %d: %s\n", fd, buf);
    close(fd);
    fd = open("/proc/self/cmdline", O_RDONLY);
    n = read(fd, buf, sizeof buf);
    for (int i = 0; i < n; i++) if (!buf[i]) buf[i] = '|';
    printf("cmdline: %.*s\n", (int) n, buf);
    close(fd);
    snprintf(link, sizeof link, "/proc/%d/stat", getpid());
    FILE *f = fopen(link, "r");
    int pid = 0;
    CHECK(f && fscanf(f, "%d", &pid) == 1 && pid == getpid());
    if (f) fclose(f);
    show("/proc/cpuinfo", "isa");
    show("/proc/self/status", "Name");
    show("/proc/meminfo", "MemTotal") ;
    struct stat st;
    CHECK(lstat("/proc/self", &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(stat("/proc/self", &st) == 0 && S_ISDIR(st.st_mode));
    CHECK(stat("/proc/self/nope", &st) < 0 && errno == ENOENT);
    CHECK(open("/proc/cpuinfo", O_WRONLY) < 0 && errno == EACCES);
    DIR *d = opendir("/proc/self/fd");
    int fds = 0;
    struct dirent *e;
    while ((e = readdir(d))) fds++;
    closedir(d);
    CHECK(fds == 2 + 4);  /* ., .., 0-2 and the directory itself */
    CHECK(chdir("/proc/self") == 0 && access("exe", F_OK) == 0);
    fflush(stdout);
    CHECK(write(open("/dev/stdout", O_WRONLY), "stdout link\n", 12) == 12);
    DONE();
}
