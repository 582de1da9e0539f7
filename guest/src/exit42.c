/* exit42: atexit handlers run in reverse order, stdio is flushed, status 42 reaches the host. */
#include <stdio.h>
#include <stdlib.h>

static void first(void) { printf("atexit: first registered, runs last\n"); }
static void second(void) { printf("atexit: second registered, runs first\n"); }

int main(void) {
    atexit(first);
    atexit(second);
    printf("exiting with 42 (buffered output must be flushed)\n");
    exit(42);
}
