/* matmul: 64-bit integer matrix multiply C = A * B (N x N), repeated R times with A updated
 * from C; prints a checksum. Multiply-accumulate with strided loads.
 * Usage: matmul [N] [R] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 300;
    int rounds = argc > 2 ? atoi(argv[2]) : 80;
    int64_t *a = malloc(sizeof(int64_t) * n * n), *b = malloc(sizeof(int64_t) * n * n);
    int64_t *c = malloc(sizeof(int64_t) * n * n);
    uint32_t seed = 12345;
    for (int i = 0; i < n * n; i++) {
        seed = seed * 1103515245u + 12345u;
        a[i] = (int64_t)(seed >> 16) % 1000 - 500;
        seed = seed * 1103515245u + 12345u;
        b[i] = (int64_t)(seed >> 16) % 1000 - 500;
    }
    uint64_t check = 0;
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                int64_t s = 0;
                for (int k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
                c[i * n + j] = s;
            }
        for (int i = 0; i < n * n; i++) {
            check = check * 1000003u ^ (uint64_t)c[i];
            a[i] = c[i] % 997;
        }
    }
    printf("matmul n=%d rounds=%d checksum=%016llx\n", n, rounds, (unsigned long long)check);
    free(a); free(b); free(c);
    return 0;
}
