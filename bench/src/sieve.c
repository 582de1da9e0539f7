/* sieve: Sieve of Eratosthenes over [0, N) repeated R times; prints the prime count and a
 * checksum of the primes. Memory-bound byte stores and a tight inner loop.
 * Usage: sieve [N] [R] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 20000000;
    int rounds = argc > 2 ? atoi(argv[2]) : 24;
    unsigned char *composite = malloc(n);
    if (!composite) return 1;
    long count = 0;
    unsigned long long sum = 0;
    for (int r = 0; r < rounds; r++) {
        memset(composite, 0, n);
        count = 0;
        sum = 0;
        for (long i = 2; i < n; i++) {
            if (composite[i]) continue;
            count++;
            sum = sum * 31 + (unsigned long long)i;
            for (long j = i * i; j < n; j += i) composite[j] = 1;
        }
    }
    printf("sieve n=%ld rounds=%d primes=%ld checksum=%016llx\n", n, rounds, count, sum);
    free(composite);
    return 0;
}
