/*
 * intmath: 32/64-bit integer arithmetic, RISC-V division corner cases (via inline asm, since they
 * are undefined in C), high multiplies, shifts, bit counting, and 128-bit math through libgcc.
 */
#include "check.h"
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>

typedef __int128 i128;
typedef unsigned __int128 u128;

static void print_u128(const char *label, u128 v) {
    char buf[48];
    int i = sizeof buf - 1;
    buf[i] = 0;
    do { buf[--i] = (char)('0' + (int)(v % 10)); v /= 10; } while (v);
    printf("%s=%s\n", label, buf + i);
}
static void print_i128(const char *label, i128 v) {
    if (v < 0) {
        char l[64];
        snprintf(l, sizeof l, "%s=-", label);
        u128 m = -(u128)v;
        char buf[48];
        int i = sizeof buf - 1;
        buf[i] = 0;
        do { buf[--i] = (char)('0' + (int)(m % 10)); m /= 10; } while (m);
        printf("%s%s\n", l, buf + i);
    } else {
        print_u128(label, (u128)v);
    }
}

static long rv_div(long a, long b) { long r; __asm__ volatile("div %0,%1,%2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static long rv_rem(long a, long b) { long r; __asm__ volatile("rem %0,%1,%2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static unsigned long rv_divu(unsigned long a, unsigned long b) { unsigned long r; __asm__ volatile("divu %0,%1,%2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static unsigned long rv_remu(unsigned long a, unsigned long b) { unsigned long r; __asm__ volatile("remu %0,%1,%2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static long rv_divw(long a, long b) { long r; __asm__ volatile("divw %0,%1,%2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static long rv_remw(long a, long b) { long r; __asm__ volatile("remw %0,%1,%2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static long rv_divuw(long a, long b) { long r; __asm__ volatile("divuw %0,%1,%2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static long rv_mulh(long a, long b) { long r; __asm__ volatile("mulh %0,%1,%2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static long rv_mulhu(long a, long b) { long r; __asm__ volatile("mulhu %0,%1,%2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static long rv_mulhsu(long a, long b) { long r; __asm__ volatile("mulhsu %0,%1,%2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static long rv_mulw(long a, long b) { long r; __asm__ volatile("mulw %0,%1,%2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static long rv_sraw(long a, long b) { long r; __asm__ volatile("sraw %0,%1,%2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static long rv_srlw(long a, long b) { long r; __asm__ volatile("srlw %0,%1,%2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static long rv_sll(long a, long b) { long r; __asm__ volatile("sll %0,%1,%2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static long rv_addw(long a, long b) { long r; __asm__ volatile("addw %0,%1,%2" : "=r"(r) : "r"(a), "r"(b)); return r; }

/* keep the compiler from constant-folding */
static volatile long vol_neg1 = -1, vol_zero = 0, vol_min = LONG_MIN;

int main(void) {
    /* RISC-V M-extension corner cases (unprivileged spec, table 7.1) */
    CHECK_EQ(rv_div(7, vol_zero), -1);
    CHECK_EQ(rv_rem(7, vol_zero), 7);
    CHECK_EQ(rv_divu(7, vol_zero), -1);
    CHECK_EQ(rv_remu(7, vol_zero), 7);
    CHECK_EQ(rv_div(vol_min, vol_neg1), LONG_MIN);
    CHECK_EQ(rv_rem(vol_min, vol_neg1), 0);
    CHECK_EQ(rv_divw(INT_MIN, vol_neg1), INT_MIN);
    CHECK_EQ(rv_remw(INT_MIN, vol_neg1), 0);
    CHECK_EQ(rv_divw(5, vol_zero), -1);
    CHECK_EQ(rv_remw(0x100000005L, vol_zero), 5);     /* uses only the low 32 bits, sign-extends */
    CHECK_EQ(rv_divuw(-2, 1), -2);                    /* 0xfffffffe / 1 sign-extended */
    CHECK_EQ(rv_div(-7, 2), -3);
    CHECK_EQ(rv_rem(-7, 2), -1);
    CHECK_EQ(rv_divu(-1, 3), 0x5555555555555555L);
    printf("div: -7/2=%ld -7%%2=%ld 7/0=%ld 7%%0=%ld MIN/-1=%ld\n", rv_div(-7, 2), rv_rem(-7, 2),
           rv_div(7, vol_zero), rv_rem(7, vol_zero), rv_div(vol_min, vol_neg1));

    CHECK_EQ(rv_mulh(-1, -1), 0);
    CHECK_EQ(rv_mulhu(-1, -1), -2);
    CHECK_EQ(rv_mulhsu(-1, -1), -1);
    CHECK_EQ(rv_mulh(LONG_MIN, LONG_MIN), 0x4000000000000000L);
    CHECK_EQ(rv_mulh(0x123456789abcdefL, 0x0fedcba987654321L), (long)(((i128)0x123456789abcdefL * 0x0fedcba987654321L) >> 64));
    CHECK_EQ(rv_mulw(0x7fffffff, 2), -2);
    CHECK_EQ(rv_sraw(0x80000000L, 4), (long)(int)0xf8000000);
    CHECK_EQ(rv_srlw(-1, 36), 0x0fffffff);            /* shift amount is taken mod 32 */
    CHECK_EQ(rv_sll(1, 65), 2);                        /* shift amount is taken mod 64 */
    CHECK_EQ(rv_addw(0x7fffffff, 1), INT_MIN);
    printf("mulh: %ld mulhu: %ld mulhsu: %ld\n", rv_mulh(-3, 5), rv_mulhu(-3, 5), rv_mulhsu(-3, 5));

    /* ordinary C arithmetic on values the compiler cannot see */
    volatile uint64_t a = 0xdeadbeefcafebabeULL, b = 0x0123456789abcdefULL;
    uint64_t x = a, y = b;
    printf("add=%016" PRIx64 " sub=%016" PRIx64 " mul=%016" PRIx64 "\n", x + y, x - y, x * y);
    printf("div=%" PRIu64 " mod=%" PRIu64 " sdiv=%" PRId64 " smod=%" PRId64 "\n", x / y, x % y,
           (int64_t)x / (int64_t)y, (int64_t)x % (int64_t)y);
    printf("and=%016" PRIx64 " or=%016" PRIx64 " xor=%016" PRIx64 " not=%016" PRIx64 "\n", x & y,
           x | y, x ^ y, ~x);
    printf("shl13=%016" PRIx64 " shr13=%016" PRIx64 " sar13=%016" PRIx64 "\n", x << 13, x >> 13,
           (uint64_t)((int64_t)x >> 13));
    printf("clz=%d ctz=%d popcount=%d parity=%d bswap=%016" PRIx64 "\n", __builtin_clzll(x),
           __builtin_ctzll(x), __builtin_popcountll(x), __builtin_parityll(x), __builtin_bswap64(x));
    int32_t s32 = (int32_t)(uint32_t)x;
    printf("s32=%d u32=%u s16=%d s8=%d sext=%" PRId64 "\n", s32, (uint32_t)x, (int16_t)x, (int8_t)x,
           (int64_t)s32);
    int of;
    long res;
    of = __builtin_add_overflow((long)x, (long)0x7000000000000000L, &res);
    printf("add_overflow=%d mul_overflow=%d\n", of, __builtin_mul_overflow((long)x, 3L, &res));

    /* comparisons: signed vs unsigned */
    volatile int64_t neg = -5;
    CHECK((uint64_t)neg > 5u);
    CHECK(neg < 5);

    /* 128-bit arithmetic (mul inline, div/mod via libgcc __udivti3/__divti3) */
    u128 big = ((u128)x << 64) | y;
    u128 prod = (u128)x * y;
    print_u128("u128 big", big);
    print_u128("u128 x*y", prod);
    print_u128("u128 big/1000000007", big / 1000000007u);
    print_u128("u128 big%1000000007", big % 1000000007u);
    print_u128("u128 big/y", big / y);
    i128 sbig = -(i128)big / 3;
    print_i128("i128 -big/3", sbig);
    print_i128("i128 -big%7", -(i128)(big % ((u128)1 << 100)) % 7);
    print_u128("u128 big>>67", big >> 67);
    print_u128("u128 big<<5", big << 5);
    u128 f = 1;
    for (int i = 1; i <= 34; i++) f *= (u128)i;
    print_u128("34!", f);
    CHECK(f / 34 / 33 * 33 * 34 == f);
    i128 m = (i128)((u128)1 << 127);
    print_i128("i128 min", m);
    CHECK(m < 0 && (u128)m - 1 == ((u128)1 << 127) - 1);

    /* a small LCG-based checksum over many mixed operations */
    uint64_t h = 1469598103934665603ULL;
    for (uint32_t i = 1; i < 100000; i++) {
        h ^= i * 0x9e3779b97f4a7c15ULL;
        h *= 1099511628211ULL;
        h += (h >> 29) / (i | 1) + (uint64_t)((int64_t)h % (int64_t)(i + 3));
        h = (h << 7) | (h >> 57);
    }
    printf("mix checksum=%016" PRIx64 "\n", h);
    return DONE("intmath");
}
