/*
 * Tiny self-check helpers shared by Rivet's guest test programs.
 *
 * Every program prints deterministic lines to stdout, a "FAIL ..." line for each failed check,
 * and finishes with DONE(), which prints "ok <name>" or "FAILED <name>: N checks" and returns the
 * exit status (0 on success). Nothing printed may depend on addresses, times, pids or the host.
 */
#ifndef RIVET_CHECK_H
#define RIVET_CHECK_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failures;
static int check_count;

#define CHECK(cond)                                                                    \
    do {                                                                               \
        check_count++;                                                                 \
        if (!(cond)) {                                                                 \
            printf("FAIL %s:%d: %s (errno=%d)\n", __FILE_NAME__, __LINE__, #cond, errno);   \
            fflush(stdout);                                                            \
            check_failures++;                                                          \
        }                                                                              \
    } while (0)

/* Compare two integers; prints both values on failure. */
#define CHECK_EQ(a, b)                                                                 \
    do {                                                                               \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);                \
        check_count++;                                                                 \
        if (check_a_ != check_b_) {                                                    \
            printf("FAIL %s:%d: %s == %s (%lld != %lld)\n", __FILE_NAME__, __LINE__, #a, #b, \
                   check_a_, check_b_);                                                \
            fflush(stdout);                                                            \
            check_failures++;                                                          \
        }                                                                              \
    } while (0)

/* A call that must fail with the given errno. */
#define CHECK_ERR(call, err)                                                           \
    do {                                                                               \
        errno = 0;                                                                     \
        long check_r_ = (long)(call);                                                  \
        int check_e_ = errno;                                                          \
        check_count++;                                                                 \
        if (check_r_ != -1 || check_e_ != (err)) {                                     \
            printf("FAIL %s:%d: %s -> %ld errno %d, want -1 errno %d (%s)\n", __FILE__,  \
                   __LINE__, #call, check_r_, check_e_, (err), #err);                  \
            fflush(stdout);                                                            \
            check_failures++;                                                          \
        }                                                                              \
    } while (0)

/* A call that must succeed (return value != -1); evaluates to the result. */
#define MUST(call)                                                                     \
    ({                                                                                 \
        errno = 0;                                                                     \
        __typeof__(call) must_r_ = (call);                                             \
        if ((long)must_r_ == -1) {                                                     \
            printf("FAIL %s:%d: %s: %s\n", __FILE_NAME__, __LINE__, #call, strerror(errno));  \
            fflush(stdout);                                                            \
            exit(1);                                                                   \
        }                                                                              \
        must_r_;                                                                       \
    })

/* FNV-1a over a byte range, for printing checksums of bulk data; start with FNV_INIT */
#define FNV_INIT 0xcbf29ce484222325ULL
static inline unsigned long long fnv1a(unsigned long long h, const void *data, size_t len) {
    const unsigned char *b = (const unsigned char *)data;
    for (size_t i = 0; i < len; i++) h = (h ^ b[i]) * 0x100000001b3ULL;
    return h;
}

static inline int check_done(const char *name) {
    if (check_failures) {
        printf("FAILED %s: %d of %d checks\n", name, check_failures, check_count);
        fflush(stdout);
        return 1;
    }
    printf("ok %s\n", name);
    fflush(stdout);
    return 0;
}

#define DONE(name) check_done(name)

#endif
