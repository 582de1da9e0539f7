/* hello: raw write(2), stdio printf with assorted formats, puts, and stderr. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    static const char raw[] = "hello from write(2)\n";
    if (write(1, raw, sizeof raw - 1) != (ssize_t)(sizeof raw - 1)) return 1;
    printf("hello, %s! %d %u %x %o %c %5.2f %-4s| %lld %zu\n", "world", -42, 42u, 0xbeefu, 8u,
           'R', 3.14159, "ab", -1234567890123LL, sizeof(long));
    puts("hello from puts");
    fputs("hello on stderr\n", stderr);
    char buf[64];
    int n = snprintf(buf, sizeof buf, "%08.3f|%+d|%#x|%e", -2.5, 7, 255, 12345.678);
    printf("snprintf(%d): %s\n", n, buf);
    fflush(stdout);
    return 0;
}
