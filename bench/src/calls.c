/* calls: indirect calls through a table of small functions, each on a page of its own, as code
 * calling through function pointers and returning across the program does (interpreters'
 * handlers, virtual methods, callbacks). Every call and every return crosses a page.
 * Usage: calls [FUNCTIONS] [CALLS]: FUNCTIONS (1-64, default 64) used in turn, CALLS (default
 * 100 million) in all. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef uint64_t (*fn)(uint64_t);

#define F(i) \
    __attribute__((noinline, aligned(4096))) static uint64_t f##i(uint64_t x) { return x * (2 * i + 1) + i; }
#define F8(i) F(i##0) F(i##1) F(i##2) F(i##3) F(i##4) F(i##5) F(i##6) F(i##7)
F8(1) F8(2) F8(3) F8(4) F8(5) F8(6) F8(7) F8(8)

#define P8(i) f##i##0, f##i##1, f##i##2, f##i##3, f##i##4, f##i##5, f##i##6, f##i##7,
static fn table[64] = {P8(1) P8(2) P8(3) P8(4) P8(5) P8(6) P8(7) P8(8)};

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 64;
    long calls = argc > 2 ? atol(argv[2]) : 100000000L;
    if (n < 1 || n > 64 || calls < 0) {
        fprintf(stderr, "usage: calls [FUNCTIONS 1-64] [CALLS]\n");
        return 2;
    }
    uint64_t acc = 0;
    int i = 0;
    for (long k = 0; k < calls; k++) {
        acc = table[i](acc) ^ (uint64_t)k;
        if (++i == n) i = 0;
    }
    printf("calls %d x %ld: %016llx\n", n, calls, (unsigned long long)acc);
    return 0;
}
