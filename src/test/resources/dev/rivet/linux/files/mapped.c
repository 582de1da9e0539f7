#include "check.h"
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>

int main(void) {
    int fd = memfd_create("test", MFD_CLOEXEC);
    CHECK(fd >= 0 && ftruncate(fd, 8192) == 0);
    struct stat st;
    CHECK(fstat(fd, &st) == 0 && st.st_size == 8192 && S_ISREG(st.st_mode));
    char *m = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(m != MAP_FAILED);
    strcpy(m + 4096, "shared");
    CHECK(msync(m, 8192, MS_SYNC) == 0);
    char buf[16] = {0};
    CHECK(pread(fd, buf, 6, 4096) == 6 && strcmp(buf, "shared") == 0);
    CHECK(pwrite(fd, "second", 6, 0) == 6);
    char *m2 = mmap(0, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
    CHECK(m2 != MAP_FAILED && memcmp(m2, "second", 6) == 0);

    /* A file mapping stays valid after its descriptor is closed (as the dynamic loader relies on). */
    int f = open("/tmp/m", O_CREAT | O_RDWR | O_TRUNC, 0600);
    CHECK(write(f, "mapped file", 11) == 11);
    char *fm = mmap(0, 4096, PROT_READ, MAP_PRIVATE, f, 0);
    close(f);
    CHECK(fm != MAP_FAILED && memcmp(fm, "mapped file", 11) == 0);
    printf("%.11s\n", fm);

    struct statfs sfs;
    CHECK(statfs("/", &sfs) == 0 && sfs.f_bsize > 0 && sfs.f_namelen == 255);
    CHECK(statfs("/proc", &sfs) == 0 && sfs.f_type == 0x9fa0);
    DONE();
}
