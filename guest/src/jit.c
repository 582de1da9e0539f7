/*
 * jit: a tiny JIT inside the guest. Writes RISC-V machine code into an mmap'd
 * PROT_READ|PROT_WRITE|PROT_EXEC page, flushes the instruction cache (__builtin___clear_cache,
 * i.e. the riscv_flush_icache syscall / fence.i), calls it, then overwrites the same code and
 * calls again: a stale translation would give the old result. Also a W^X flow (write, then
 * mprotect to R|X), compressed instructions, a generated loop, code unmapped and mapped again
 * at the same address, and code that patches an immediate in place in a hot loop.
 */
#include "check.h"
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

typedef long (*fn1)(long);
typedef long (*fn2)(long, long);

/* RV64I encoders */
#define R(f7, rs2, rs1, f3, rd, op) (((uint32_t)(f7) << 25) | ((rs2) << 20) | ((rs1) << 15) | ((f3) << 12) | ((rd) << 7) | (op))
#define I(imm, rs1, f3, rd, op) ((((uint32_t)(imm) & 0xfff) << 20) | ((rs1) << 15) | ((f3) << 12) | ((rd) << 7) | (op))
enum { ZERO = 0, RA = 1, T0 = 5, T1 = 6, T2 = 7, A0 = 10, A1 = 11 };
static uint32_t addi(int rd, int rs, int imm) { return I(imm, rs, 0, rd, 0x13); }
static uint32_t add(int rd, int a, int b) { return R(0, b, a, 0, rd, 0x33); }
static uint32_t sub(int rd, int a, int b) { return R(0x20, b, a, 0, rd, 0x33); }
static uint32_t mul(int rd, int a, int b) { return R(1, b, a, 0, rd, 0x33); }
static uint32_t xor_(int rd, int a, int b) { return R(0, b, a, 4, rd, 0x33); }
static uint32_t slli(int rd, int rs, int sh) { return I(sh, rs, 1, rd, 0x13); }
static uint32_t ret(void) { return I(0, RA, 0, ZERO, 0x67); }            /* jalr x0, 0(ra) */
static uint32_t bne(int a, int b, int off) {
    uint32_t o = (uint32_t)off;
    return (((o >> 12) & 1) << 31) | (((o >> 5) & 0x3f) << 25) | (b << 20) | (a << 15) | (1 << 12) |
           (((o >> 1) & 0xf) << 8) | (((o >> 11) & 1) << 7) | 0x63;
}
/* RVC: c.addi rd, imm6 ; c.jr ra (= c.ret) ; c.add rd, rs */
static uint16_t c_addi(int rd, int imm) {
    return (uint16_t)((((imm >> 5) & 1) << 12) | (rd << 7) | ((imm & 0x1f) << 2) | 0x1);
}
static uint16_t c_add(int rd, int rs) { return (uint16_t)((0x9 << 12) | (rd << 7) | (rs << 2) | 0x2); }
static uint16_t c_ret(void) { return (uint16_t)((0x8 << 12) | (RA << 7) | 0x2); }

static void flush(void *p, size_t n) { __builtin___clear_cache((char *)p, (char *)p + n); }

int main(void) {
    uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(code != MAP_FAILED);
    if (code == MAP_FAILED) return 1;

    /* f(x) = x + 7 */
    code[0] = addi(A0, A0, 7);
    code[1] = ret();
    flush(code, 8);
    long r1 = ((fn1)code)(5);
    /* overwrite in place: f(x) = x * 3 - 1 */
    code[0] = addi(T0, ZERO, 3);
    code[1] = mul(A0, A0, T0);
    code[2] = addi(A0, A0, -1);
    code[3] = ret();
    flush(code, 16);
    long r2 = ((fn1)code)(5);
    printf("jit: first version f(5)=%ld, rewritten f(5)=%ld\n", r1, r2);
    CHECK_EQ(r1, 12);
    CHECK_EQ(r2, 14);

    /* same address, 200 different constants in a row: each call must see the latest code */
    long sum = 0, want = 0;
    for (int k = -100; k < 100; k++) {
        code[0] = addi(A0, A0, k);
        code[1] = ret();
        flush(code, 8);
        sum += ((fn1)code)(1000);
        want += 1000 + k;
    }
    printf("jit: 200 rewrites, sum=%ld\n", sum);
    CHECK_EQ(sum, want);

    /* a generated loop: f(n, m) = sum_{i=1..n} (i*m xor i<<1) */
    uint32_t *p = code;
    *p++ = addi(T0, ZERO, 0);               /* acc = 0 */
    uint32_t *loop = p;
    *p++ = mul(T1, A0, A1);                 /* t1 = n*m */
    *p++ = slli(T2, A0, 1);                 /* t2 = n<<1 */
    *p++ = xor_(T1, T1, T2);
    *p++ = add(T0, T0, T1);
    *p++ = addi(A0, A0, -1);
    *p = bne(A0, ZERO, (int)((loop - p) * 4));
    p++;
    *p++ = addi(A0, T0, 0);
    *p++ = ret();
    flush(code, (size_t)(p - code) * 4);
    long acc = 0;
    for (long i = 1; i <= 1000; i++) acc += (i * 37) ^ (i << 1);
    long got = ((fn2)code)(1000, 37);
    printf("jit: generated loop result %ld (expect %ld)\n", got, acc);
    CHECK_EQ(got, acc);

    /* compressed instructions: f(a, b) = a + b + 9 */
    uint16_t *h = (uint16_t *)code;
    h[0] = c_add(A0, A1);
    h[1] = c_addi(A0, 9);
    h[2] = c_ret();
    flush(code, 6);
    long c1 = ((fn2)code)(30, 3);
    h[1] = c_addi(A0, -20);
    flush(code, 6);
    long c2 = ((fn2)code)(30, 3);
    printf("jit: compressed f(30,3)=%ld, patched=%ld\n", c1, c2);
    CHECK_EQ(c1, 42);
    CHECK_EQ(c2, 13);

    /* a 4-byte instruction straddling into the next word after compressed ones */
    h[0] = c_addi(A0, 1);
    memcpy(&h[1], &(uint32_t){sub(A0, A0, A1)}, 4);
    h[3] = c_ret();
    flush(code, 8);
    long c3 = ((fn2)code)(50, 8);
    CHECK_EQ(c3, 43);

    /* W^X: write in a RW mapping, flip it to RX, call; writing then faults... flip back */
    uint32_t *wx = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    wx[1024] = addi(A0, A0, 100);          /* second page */
    wx[1025] = ret();
    MUST(mprotect(wx, 8192, PROT_READ | PROT_EXEC));
    flush(wx + 1024, 8);
    long w1 = ((fn1)(wx + 1024))(1);
    MUST(mprotect(wx, 8192, PROT_READ | PROT_WRITE));
    wx[1024] = addi(A0, A0, 200);
    MUST(mprotect(wx, 8192, PROT_READ | PROT_EXEC));
    flush(wx + 1024, 8);
    long w2 = ((fn1)(wx + 1024))(1);
    printf("jit: W^X first=%ld second=%ld\n", w1, w2);
    CHECK_EQ(w1, 101);
    CHECK_EQ(w2, 201);

    /* the same address unmapped and mapped again with other code, after the first code got hot:
     * neither its translation nor a cached translation of the address may run the old page */
    uint32_t *re = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    re[0] = addi(A0, A0, 1);
    re[1] = ret();
    flush(re, 8);
    long m1 = 0;
    for (int i = 0; i < 20000; i++) m1 += ((fn1)re)(i) - i;
    MUST(munmap(re, 4096));
    uint32_t *re2 = mmap(re, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK(re2 == re);
    re2[0] = addi(A0, A0, 2);
    re2[1] = ret();
    MUST(mprotect(re2, 4096, PROT_READ | PROT_EXEC));
    flush(re2, 8);
    long m2 = 0;
    for (int i = 0; i < 20000; i++) m2 += ((fn1)re2)(i) - i;
    printf("jit: remapped code first=%ld second=%ld\n", m1, m2);
    CHECK_EQ(m1, 20000);
    CHECK_EQ(m2, 40000);

    /* self-patching in a hot loop: the callee's immediate changes every iteration */
    long total = 0;
    for (int i = 0; i < 1000; i++) {
        code[0] = addi(A0, A0, i & 1023);
        code[1] = ret();
        flush(code, 8);
        total += ((fn1)code)(0);
    }
    printf("jit: hot patch total=%ld\n", total);
    CHECK_EQ(total, 999 * 1000 / 2);

    /* (Not tested: writing the code through a second, aliased mapping of the same memory.
     * Real hardware executes the new code after the icache flush, qemu-user keeps running the
     * stale translation, and qemu is this suite's reference.) */
    return DONE("jit");
}
