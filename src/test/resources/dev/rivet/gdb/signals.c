/* Test program for the gdb stub: a handled signal, a second thread, then a fatal SIGSEGV. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>

volatile int hits;

static void on_usr1(int sig) { hits++; }

static void *worker(void *arg) {
    for (volatile int i = 0; i < 10; i++) {}
    return arg;
}

int main(void) {
    signal(SIGUSR1, on_usr1);
    raise(SIGUSR1);
    pthread_t t;
    pthread_create(&t, 0, worker, 0);
    pthread_join(t, 0);
    if (hits != 1) return 1;
    volatile int *p = (int *)16;
    *p = 1;
    return 0;
}
