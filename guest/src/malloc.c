/*
 * malloc: brk/sbrk growth and shrink, malloc of small and large (mmap-backed) blocks, calloc
 * zeroing, realloc growth keeping contents, aligned allocation, many alloc/free cycles, and a
 * 64 MiB block touched on every page.
 */
#include "check.h"
#include <malloc.h>
#include <stdint.h>
#include <unistd.h>

int main(void) {
    /* brk: the break moves up and down; the new memory is usable */
    char *b0 = sbrk(0);
    CHECK(b0 != (void *)-1);
    char *old = sbrk(1 << 20);
    CHECK(old == b0);
    CHECK(sbrk(0) == b0 + (1 << 20));
    memset(old, 0x5a, 1 << 20);
    CHECK_EQ((unsigned char)old[(1 << 20) - 1], 0x5a);
    CHECK(sbrk(-(1 << 19)) == b0 + (1 << 20));
    CHECK(sbrk(0) == b0 + (1 << 19));
    CHECK_EQ(brk(b0), 0);
    CHECK(sbrk(0) == b0);
    printf("brk: grew by 1 MiB, shrank back\n");

    /* small blocks */
    enum { N = 20000 };
    static char *ptrs[N];
    unsigned long long h = FNV_INIT;
    for (int i = 0; i < N; i++) {
        size_t sz = 1 + (i * 37) % 300;
        ptrs[i] = malloc(sz);
        CHECK(ptrs[i] != NULL);
        CHECK(((uintptr_t)ptrs[i] & 15) == 0);
        memset(ptrs[i], i & 0xff, sz);
    }
    for (int i = 0; i < N; i += 2) free(ptrs[i]);
    for (int i = 0; i < N; i += 2) {
        size_t sz = 1 + (i * 53) % 500;
        ptrs[i] = malloc(sz);
        memset(ptrs[i], (i + 1) & 0xff, sz);
    }
    for (int i = 0; i < N; i++) {
        size_t sz = i % 2 ? 1 + (i * 37) % 300 : 1 + (i * 53) % 500;
        h = fnv1a(h, ptrs[i], sz);
        free(ptrs[i]);
    }
    printf("small blocks: %d allocations, hash %016llx\n", N + N / 2, h);

    /* calloc returns zeroed memory, also when recycling dirty memory */
    char *dirty = malloc(100000);
    memset(dirty, 0xff, 100000);
    free(dirty);
    unsigned *z = calloc(25000, sizeof *z);
    int allzero = 1;
    for (int i = 0; i < 25000; i++) allzero &= z[i] == 0;
    CHECK(allzero);
    free(z);
    CHECK(calloc((size_t)1 << 62, 8) == NULL);
    CHECK_EQ(errno, ENOMEM);

    /* realloc keeps contents while growing through sizes that switch to mmap */
    size_t sz = 16;
    unsigned char *r = malloc(sz);
    for (size_t i = 0; i < sz; i++) r[i] = (unsigned char)i;
    while (sz < (32u << 20)) {
        size_t nsz = sz * 4;
        r = realloc(r, nsz);
        CHECK(r != NULL);
        int ok = 1;
        for (size_t i = 0; i < sz; i++) ok &= r[i] == (unsigned char)i;
        CHECK(ok);
        for (size_t i = sz; i < nsz; i++) r[i] = (unsigned char)i;
        sz = nsz;
    }
    r = realloc(r, 100);
    CHECK_EQ(r[99], 99);
    free(r);
    printf("realloc: grew to 64 MiB and back, contents kept\n");

    /* aligned allocations */
    void *al = NULL;
    CHECK_EQ(posix_memalign(&al, 4096, 10000), 0);
    CHECK(((uintptr_t)al & 4095) == 0);
    free(al);
    void *al2 = aligned_alloc(1 << 16, 1 << 16);
    CHECK(((uintptr_t)al2 & 0xffff) == 0);
    free(al2);

    /* a large block: every page touched and summed */
    size_t big = 64u << 20;
    unsigned char *L = malloc(big);
    CHECK(L != NULL);
    for (size_t i = 0; i < big; i += 4096) L[i] = (unsigned char)(i >> 12);
    unsigned long sum = 0;
    for (size_t i = 0; i < big; i += 4096) sum += L[i];
    printf("64 MiB block: page sum %lu\n", sum);
    CHECK_EQ(sum, 16384UL / 256 * (255 * 256 / 2));
    free(L);

    /* several large blocks at once */
    void *blocks[8];
    for (int i = 0; i < 8; i++) {
        blocks[i] = malloc((size_t)(i + 1) << 20);
        CHECK(blocks[i] != NULL);
        memset(blocks[i], i, (size_t)(i + 1) << 20);
    }
    for (int i = 0; i < 8; i++) {
        CHECK_EQ(((unsigned char *)blocks[i])[((size_t)(i + 1) << 20) - 1], i);
        free(blocks[i]);
    }
    struct mallinfo2 mi = mallinfo2();
    CHECK(mi.uordblks < (1u << 20));
    printf("large blocks freed\n");
    return DONE("malloc");
}
