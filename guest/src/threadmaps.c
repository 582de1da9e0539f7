/*
 * threadmaps: a change to the mappings made by one thread is seen by every other thread as soon
 * as the call that made it returns, even by a thread that used the page just before and has not
 * made a system call since (it spins on an atomic flag in between):
 *   madvise(MADV_DONTNEED): the other thread's next store lands in the fresh zero page, and its
 *                           next load reads zero;
 *   munmap + mmap MAP_FIXED: the same, with a new mapping at the old address;
 *   mprotect(PROT_READ):    the other thread's next store faults (SIGSEGV);
 *   fork:                   a page written after fork is copied; a thread that had read the
 *                           page before sees the new value, not the copy the child keeps.
 */
#include "check.h"
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 50
#define PAGE 4096

/* In a shared mapping, so that it is never copied on write: the threads meet through it across a fork. */
static atomic_int *phase;
static volatile long *page;    /* volatile: every access in the source is one in the program */

/* Waits for the other thread, yielding the CPU now and then (so that on a busy host it gets to run). */
static void wait_for(int p) {
    for (int spins = 0; atomic_load(phase) != p; spins++) {
        if (spins % 1024 == 1023) sched_yield();
    }
}

/* Waits without a system call: what follows must see a change another thread made meanwhile,
   although this thread did not enter the kernel since it last used the page. */
static void spin_for(int p) {
    while (atomic_load(phase) != p) {
    }
}

static void set_phase(int p) {
    atomic_store(phase, p);
}

/* ---- madvise and munmap: a store and a load right after the page was dropped -------------- */

static long seen_after[ROUNDS];

static void *dropped_page_user(void *arg) {
    (void)arg;
    for (int r = 0; r < ROUNDS; r++) {
        wait_for(4 * r + 1);
        page[5] = r + 1;                  /* this thread now has the page for writing */
        (void)page[4];                    /* ... and for reading */
        set_phase(4 * r + 2);
        spin_for(4 * r + 3);              /* ... and the other one dropped it meanwhile */
        seen_after[r] = page[5];          /* zero: the page is a new one */
        page[7] = 1000 + r;               /* lands in the page the other thread reads */
        set_phase(4 * r + 4);
    }
    return 0;
}

static void drop_rounds(const char *how, int remap) {
    set_phase(0);
    pthread_t t;
    CHECK_EQ(pthread_create(&t, 0, dropped_page_user, 0), 0);
    int lost = 0, stale = 0;
    for (int r = 0; r < ROUNDS; r++) {
        set_phase(4 * r + 1);
        wait_for(4 * r + 2);
        if (remap) {
            CHECK_EQ(munmap((void *)page, PAGE), 0);
            CHECK(mmap((void *)page, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == page);
        } else {
            CHECK_EQ(madvise((void *)page, PAGE, MADV_DONTNEED), 0);
        }
        set_phase(4 * r + 3);
        wait_for(4 * r + 4);
        if (page[7] != 1000 + r) lost++;
        page[4] = 0;
        if (seen_after[r] != 0) stale++;
    }
    CHECK_EQ(pthread_join(t, 0), 0);
    printf("%s: %d of %d stores lost, %d loads of the dropped page\n", how, lost, ROUNDS, stale);
    CHECK_EQ(lost, 0);
    CHECK_EQ(stale, 0);
}

/* ---- mprotect: a store right after write permission was taken away ------------------------ */

static sigjmp_buf fault_jump;
static atomic_int faults;

static void on_segv(int sig) {
    (void)sig;
    atomic_fetch_add(&faults, 1);
    siglongjmp(fault_jump, 1);
}

static void *protected_page_writer(void *arg) {
    (void)arg;
    for (int r = 0; r < ROUNDS; r++) {
        wait_for(4 * r + 1);
        page[5] = r;                      /* a write entry for the page */
        set_phase(4 * r + 2);
        /* No system call between the wait and the store (a jump buffer without the signal mask,
           the handler installed with SA_NODEFER). */
        if (sigsetjmp(fault_jump, 0) == 0) {
            spin_for(4 * r + 3);          /* the page is read-only now */
            page[6] = r;
        }
        set_phase(4 * r + 4);
    }
    return 0;
}

static void protect_rounds(void) {
    struct sigaction sa = {0};
    sa.sa_handler = on_segv;
    sa.sa_flags = SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    CHECK_EQ(sigaction(SIGSEGV, &sa, 0), 0);
    set_phase(0);
    pthread_t t;
    CHECK_EQ(pthread_create(&t, 0, protected_page_writer, 0), 0);
    for (int r = 0; r < ROUNDS; r++) {
        CHECK_EQ(mprotect((void *)page, PAGE, PROT_READ | PROT_WRITE), 0);
        set_phase(4 * r + 1);
        wait_for(4 * r + 2);
        CHECK_EQ(mprotect((void *)page, PAGE, PROT_READ), 0);
        set_phase(4 * r + 3);
        wait_for(4 * r + 4);
    }
    CHECK_EQ(pthread_join(t, 0), 0);
    CHECK_EQ(mprotect((void *)page, PAGE, PROT_READ | PROT_WRITE), 0);
    signal(SIGSEGV, SIG_DFL);
    printf("mprotect: %d of %d stores to the read-only page faulted, page[6] = %ld\n",
           atomic_load(&faults), ROUNDS, page[6]);
    CHECK_EQ(atomic_load(&faults), ROUNDS);
}

/* ---- fork: copy-on-write seen by the parent's other thread -------------------------------- */

static long cow_before[ROUNDS], cow_seen[ROUNDS];

static void *cow_reader(void *arg) {
    (void)arg;
    for (int r = 0; r < ROUNDS; r++) {
        wait_for(4 * r + 1);
        cow_before[r] = page[9];          /* a read entry for the page parent and child share now */
        set_phase(4 * r + 2);
        spin_for(4 * r + 3);              /* the other thread wrote it: the parent's own copy */
        cow_seen[r] = page[9];
        set_phase(4 * r + 4);
    }
    return 0;
}

static void fork_rounds(void) {
    set_phase(0);
    pthread_t t;
    CHECK_EQ(pthread_create(&t, 0, cow_reader, 0), 0);
    int stale = 0, before_wrong = 0, child_wrong = 0;
    for (int r = 0; r < ROUNDS; r++) {
        page[9] = r;
        int pipefd[2];
        CHECK_EQ(pipe(pipefd), 0);
        pid_t child = fork();
        if (child == 0) {
            char c;
            if (read(pipefd[0], &c, 1) != 1) _exit(3);
            _exit(page[9] == r ? 0 : 1);  /* the child keeps the value at the fork */
        }
        set_phase(4 * r + 1);
        wait_for(4 * r + 2);
        page[9] = 100 + r;                /* copies the page */
        set_phase(4 * r + 3);
        wait_for(4 * r + 4);
        if (cow_before[r] != r) before_wrong++;
        if (cow_seen[r] != 100 + r) stale++;
        CHECK_EQ(write(pipefd[1], "x", 1), 1);
        int status;
        CHECK_EQ(waitpid(child, &status, 0), child);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) child_wrong++;
        close(pipefd[0]);
        close(pipefd[1]);
    }
    CHECK_EQ(pthread_join(t, 0), 0);
    printf("fork: %d of %d reads of the old copy (%d wrong before), %d children saw a change\n", stale, ROUNDS,
           before_wrong, child_wrong);
    CHECK_EQ(stale + before_wrong + child_wrong, 0);
}

int main(void) {
    phase = mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    page = mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(phase != MAP_FAILED && page != MAP_FAILED);
    drop_rounds("madvise", 0);
    drop_rounds("munmap", 1);
    protect_rounds();
    fork_rounds();
    DONE("threadmaps");
}
