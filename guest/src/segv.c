/* segv: an unhandled SIGSEGV from a NULL dereference; the process must die by signal 11 (exit 139). */
#include <stdio.h>

int main(void) {
    printf("dereferencing NULL\n");
    fflush(stdout);
    volatile int *p = (volatile int *)0;
    *p = 1;
    printf("FAIL still alive after NULL store\n");
    return 1;
}
