/*
 * mmap: anonymous private and shared (across fork) mappings, file-backed MAP_PRIVATE and
 * MAP_SHARED with msync, MAP_FIXED over a reserved range, munmap then access
 * (SIGSEGV caught), mprotect to read-only then write (SIGSEGV, SEGV_ACCERR), PROT_NONE, mremap
 * grow/shrink/move, partial munmap, madvise(MADV_DONTNEED) zeroing, mincore, and a file mapping
 * past EOF (SIGBUS). Files live in argv[1] (default ".").
 */
#include "check.h"
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PG 4096UL

static sigjmp_buf jump;
static volatile int fault_sig, fault_code;
static volatile uintptr_t fault_addr;

static void on_fault(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    fault_sig = sig;
    fault_code = si->si_code;
    fault_addr = (uintptr_t)si->si_addr;
    siglongjmp(jump, 1);
}

/* 1 if writing (or reading) *p faults, recording the signal */
static int faults_on_write(volatile char *p) {
    fault_sig = 0;
    if (sigsetjmp(jump, 1) == 0) {
        *p = 1;
        return 0;
    }
    return 1;
}
static int faults_on_read(volatile char *p) {
    fault_sig = 0;
    if (sigsetjmp(jump, 1) == 0) {
        (void)*p;
        return 0;
    }
    return 1;
}

static const char *sig_name(int sig) { return sig == SIGSEGV ? "SIGSEGV" : sig == SIGBUS ? "SIGBUS" : "none"; }

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : ".";
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);

    /* anonymous private: zero-filled, page aligned, writable */
    char *a = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(a != MAP_FAILED);
    CHECK(((uintptr_t)a & (PG - 1)) == 0);
    int zero = 1;
    for (size_t i = 0; i < 16 * PG; i++) zero &= a[i] == 0;
    CHECK(zero);
    for (size_t i = 0; i < 16 * PG; i++) a[i] = (char)(i * 13);
    printf("anonymous: zero-filled=%d hash=%016llx\n", zero, fnv1a(FNV_INIT, a, 16 * PG));

    /* munmap then access -> SIGSEGV (SEGV_MAPERR at the exact address) */
    MUST(munmap(a + 4 * PG, 2 * PG));
    CHECK(faults_on_read(a + 5 * PG + 123));
    CHECK_EQ(fault_code, SEGV_MAPERR);
    CHECK(fault_addr == (uintptr_t)(a + 5 * PG + 123));
    printf("read after munmap: %s %s\n", sig_name(fault_sig), fault_code == SEGV_MAPERR ? "SEGV_MAPERR" : "?");
    CHECK(!faults_on_write(a + 3 * PG));            /* neighbours survive */
    CHECK(!faults_on_write(a + 6 * PG));
    CHECK_EQ((unsigned char)a[6 * PG + 1], (unsigned char)((6 * PG + 1) * 13));

    /* mprotect read-only -> write faults with SEGV_ACCERR, reads work; back to RW */
    MUST(mprotect(a, 2 * PG, PROT_READ));
    CHECK(faults_on_write(a + PG + 5));
    CHECK_EQ(fault_code, SEGV_ACCERR);
    CHECK(fault_addr == (uintptr_t)(a + PG + 5));
    printf("write to read-only: %s %s\n", sig_name(fault_sig), fault_code == SEGV_ACCERR ? "SEGV_ACCERR" : "?");
    CHECK(!faults_on_read(a + PG + 5));
    CHECK(!faults_on_write(a + 2 * PG));            /* only the protected range changed */
    MUST(mprotect(a, 2 * PG, PROT_NONE));
    CHECK(faults_on_read(a));
    CHECK_EQ(fault_code, SEGV_ACCERR);
    MUST(mprotect(a, 2 * PG, PROT_READ | PROT_WRITE));
    CHECK(!faults_on_write(a));
    CHECK_ERR(mprotect(a + 1, PG, PROT_READ), EINVAL);

    /* MAP_FIXED inside a reserved PROT_NONE range */
    char *res = mmap(NULL, 8 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(res != MAP_FAILED);
    CHECK(faults_on_read(res + 3 * PG));
    char *fx = mmap(res + 3 * PG, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK(fx == res + 3 * PG);
    CHECK(!faults_on_write(fx + PG));
    CHECK(faults_on_read(res + 5 * PG));
    /* a hint without MAP_FIXED on a free spot is normally honoured, but need not be */
    printf("MAP_FIXED: placed at the address=%d\n", fx == res + 3 * PG);
    MUST(munmap(res, 8 * PG));

    /* mremap: grow in place or moved, contents kept; shrink */
    /* the third page blocks growth in place, so that MREMAP_MAYMOVE has to move it */
    char *m = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *blocker = m + 2 * PG;
    MUST(mprotect(blocker, PG, PROT_READ));
    memset(m, 'x', 2 * PG);
    char *g = mremap(m, 2 * PG, 64 * PG, 0);
    CHECK(g == MAP_FAILED && errno == ENOMEM);
    g = mremap(m, 2 * PG, 64 * PG, MREMAP_MAYMOVE);
    CHECK(g != MAP_FAILED);
    int kept = 1;
    for (size_t i = 0; i < 2 * PG; i++) kept &= g[i] == 'x';
    int zeroed = 1;
    for (size_t i = 2 * PG; i < 64 * PG; i++) zeroed &= g[i] == 0;
    g[64 * PG - 1] = 'e';
    printf("mremap grow: moved=%d kept=%d new-part-zero=%d\n", g != m, kept, zeroed);
    CHECK(kept && zeroed);
    CHECK(g != m);
    CHECK(faults_on_read(m));                       /* the old range is gone */
    CHECK(!faults_on_read(blocker));
    munmap(blocker, PG);
    char *s = mremap(g, 64 * PG, PG, 0);
    CHECK(s == g);
    CHECK(faults_on_read(g + 2 * PG));
    MUST(munmap(s, PG));

    /* anonymous MAP_SHARED is shared with a forked child */
    volatile int *shared = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    int *priv = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    shared[0] = 1;
    priv[0] = 1;
    fflush(stdout);
    pid_t pid = MUST(fork());
    if (pid == 0) {
        shared[0] = 2;
        priv[0] = 2;
        __atomic_fetch_add(&shared[1], 5, __ATOMIC_SEQ_CST);
        _exit(0);
    }
    int status;
    MUST(waitpid(pid, &status, 0));
    printf("after fork: shared=%d private=%d\n", shared[0], priv[0]);
    CHECK_EQ(shared[0], 2);
    CHECK_EQ(priv[0], 1);
    CHECK_EQ(shared[1], 5);

    /* file-backed mappings */
    char path[4096];
    snprintf(path, sizeof path, "%s/mmap-test.bin", dir);
    int fd = MUST(open(path, O_CREAT | O_RDWR | O_TRUNC, 0644));
    char page[PG];
    for (int pg = 0; pg < 3; pg++) {
        memset(page, 'A' + pg, PG);
        CHECK_EQ(write(fd, page, PG), PG);
    }
    /* MAP_PRIVATE: reads the file, writes stay private (copy-on-write) */
    char *fp = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    CHECK(fp != MAP_FAILED);
    printf("private file map: %c %c %c\n", fp[0], fp[PG], fp[2 * PG + 100]);
    fp[PG] = 'p';
    char c = 0;
    CHECK_EQ(pread(fd, &c, 1, PG), 1);
    CHECK_EQ(c, 'B');
    /* MAP_SHARED at an offset: writes reach the file after msync, file writes show up */
    char *fs = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PG);
    CHECK(fs != MAP_FAILED);
    CHECK_EQ(fs[0], 'B');
    memcpy(fs + 10, "shared-write", 12);
    MUST(msync(fs, 2 * PG, MS_SYNC));
    char back[13] = {0};
    CHECK_EQ(pread(fd, back, 12, PG + 10), 12);
    printf("shared map -> file: %s\n", back);
    CHECK(memcmp(back, "shared-write", 12) == 0);
    CHECK_EQ(pwrite(fd, "FILE", 4, 2 * PG), 4);
    CHECK(memcmp(fs + PG, "FILE", 4) == 0);
    printf("file -> shared map: %.4s\n", fs + PG);
    /* a second shared mapping of the same page sees the same bytes */
    char *fs2 = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, PG);
    CHECK(memcmp(fs2 + 10, "shared-write", 12) == 0);
    munmap(fs2, PG);
    /* a shared file mapping written by a child */
    fflush(stdout);
    pid = MUST(fork());
    if (pid == 0) {
        memcpy(fs + 100, "from-child", 10);
        _exit(0);
    }
    MUST(waitpid(pid, &status, 0));
    CHECK(memcmp(fs + 100, "from-child", 10) == 0);
    MUST(munmap(fs, 2 * PG));
    MUST(munmap(fp, 3 * PG));
    /* after munmap the data is in the file */
    memset(back, 0, sizeof back);
    CHECK_EQ(pread(fd, back, 10, PG + 100), 10);
    CHECK(memcmp(back, "from-child", 10) == 0);

    /* a mapping beyond the end of the file: the page past EOF gives SIGBUS */
    MUST(ftruncate(fd, PG + 100));
    char *fb = mmap(NULL, 3 * PG, PROT_READ, MAP_SHARED, fd, 0);
    CHECK(fb != MAP_FAILED);
    CHECK(!faults_on_read(fb + PG + 99));
    CHECK_EQ(fb[PG + 200], 0);                       /* rest of the last page reads as zero */
    CHECK(faults_on_read(fb + 2 * PG + 1));
    CHECK_EQ(fault_sig, SIGBUS);
    printf("beyond EOF: %s\n", sig_name(fault_sig));
    munmap(fb, 3 * PG);
    /* read-only file descriptor cannot be mapped shared-writable */
    int rfd = MUST(open(path, O_RDONLY));
    void *bad = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, rfd, 0);
    CHECK(bad == MAP_FAILED && errno == EACCES);
    close(rfd);
    close(fd);
    unlink(path);

    /* madvise(MADV_DONTNEED) on private anonymous memory zero-fills it */
    char *d = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(d, 7, 4 * PG);
    MUST(madvise(d + PG, 2 * PG, MADV_DONTNEED));
    CHECK_EQ(d[0], 7);
    CHECK_EQ(d[PG], 0);
    CHECK_EQ(d[3 * PG - 1], 0);
    CHECK_EQ(d[3 * PG], 7);
    unsigned char vec[4];
    MUST(mincore(d, 4 * PG, vec));
    CHECK(vec[0] & 1);
    munmap(d, 4 * PG);
    CHECK_ERR(mincore(d, PG, vec), ENOMEM);

    /* errors */
    CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL);
    CHECK(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, -1, 0) == MAP_FAILED && errno == EBADF);
    CHECK(mmap((void *)1, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED &&
          errno == EINVAL);
    CHECK_ERR(munmap(a + 1, PG), EINVAL);
    MUST(munmap(a, 16 * PG));                        /* includes the already-unmapped hole */
    return DONE("mmap");
}
