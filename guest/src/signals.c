/*
 * signals: sigaction handlers with siginfo (raise, kill, sigqueue), sigprocmask blocking and
 * pending signals delivered on unblock, the handled signal blocked inside its handler, SA_RESETHAND,
 * SIGSEGV from a bad pointer caught on an alternate stack and left with siglongjmp, SIGILL and
 * SIGTRAP handlers that resume by editing the saved pc in the ucontext, SIGALRM from setitimer
 * and alarm, POSIX timers (timer_create/timer_settime with SIGEV_SIGNAL and a value), real-time
 * signal queueing order, sigwaitinfo/sigtimedwait, sigsuspend, and EINTR from a blocking read.
 */
#include "check.h"
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/time.h>
#include <sys/ucontext.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t usr1_count, last_code, last_value, last_signo, nested_blocked;
static volatile sig_atomic_t alarm_count;
static sigjmp_buf jump;
static volatile uintptr_t fault_addr;
static volatile int on_altstack;
static char *altstack_base;
static size_t altstack_size;

static void on_usr1(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    usr1_count++;
    last_signo = si->si_signo;
    last_code = si->si_code;
    last_value = si->si_code == SI_QUEUE ? si->si_value.sival_int : -1;
    sigset_t cur;
    sigprocmask(SIG_SETMASK, NULL, &cur);
    nested_blocked = sigismember(&cur, sig);
}

static void on_segv(int sig, siginfo_t *si, void *uc) {
    (void)sig; (void)uc;
    char here;
    fault_addr = (uintptr_t)si->si_addr;
    last_code = si->si_code;
    on_altstack = &here >= altstack_base && &here < altstack_base + altstack_size;
    siglongjmp(jump, 1);
}

static volatile sig_atomic_t ill_count, trap_count;
static void on_ill(int sig, siginfo_t *si, void *ucv) {
    ucontext_t *uc = ucv;
    (void)sig;
    if (si->si_code == ILL_ILLOPC || si->si_code == ILL_ILLOPN) ill_count++;
    /* REG_PC is __gregs[0] on riscv64; the faulting instruction is 4 bytes */
    CHECK(uc->uc_mcontext.__gregs[REG_PC] == (unsigned long)si->si_addr);
    uc->uc_mcontext.__gregs[REG_PC] += 4;
}
static void on_trap(int sig, siginfo_t *si, void *ucv) {
    ucontext_t *uc = ucv;
    (void)sig; (void)si;
    trap_count++;
    uc->uc_mcontext.__gregs[REG_PC] += 4;          /* skip the (uncompressed) ebreak */
    uc->uc_mcontext.__gregs[REG_A0] = 1234;        /* and change a register on the way back */
}

static void on_alarm(int sig) { (void)sig; alarm_count++; }

static volatile sig_atomic_t rt_order[8], rt_n;
static void on_rt(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    if (rt_n < 8) rt_order[rt_n++] = (sig - SIGRTMIN) * 100 + si->si_value.sival_int;
}

static volatile sig_atomic_t timer_hits, timer_value;
static void on_timer(int sig, siginfo_t *si, void *uc) {
    (void)sig; (void)uc;
    if (si->si_code == SI_TIMER) { timer_hits++; timer_value = si->si_value.sival_int; }
}

static volatile sig_atomic_t resethand_count;
static void on_usr2_once(int sig) { (void)sig; resethand_count++; }

static void install_masked(int sig, void (*fn)(int, siginfo_t *, void *), int flags, int block_all) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | flags;
    if (block_all) sigfillset(&sa.sa_mask);
    else sigemptyset(&sa.sa_mask);
    MUST(sigaction(sig, &sa, NULL));
}
static void install(int sig, void (*fn)(int, siginfo_t *, void *), int flags) {
    install_masked(sig, fn, flags, 0);
}

static const char *code_name(int code) {
    switch (code) {
    case SI_USER: return "SI_USER";
    case SI_TKILL: return "SI_TKILL";
    case SI_QUEUE: return "SI_QUEUE";
    case SI_TIMER: return "SI_TIMER";
    case SEGV_MAPERR: return "SEGV_MAPERR";
    case SEGV_ACCERR: return "SEGV_ACCERR";
    default: return "other";
    }
}

int main(void) {
    /* --- SIGUSR1 via raise, kill, sigqueue ---------------------------------------------- */
    install(SIGUSR1, on_usr1, 0);
    raise(SIGUSR1);
    printf("raise: count=%d signo=%d code=%s blocked-in-handler=%d\n", usr1_count, last_signo,
           code_name(last_code), nested_blocked);
    CHECK_EQ(last_code, SI_TKILL);
    kill(getpid(), SIGUSR1);
    printf("kill: count=%d code=%s\n", usr1_count, code_name(last_code));
    CHECK_EQ(last_code, SI_USER);
    sigqueue(getpid(), SIGUSR1, (union sigval){.sival_int = 4242});
    printf("sigqueue: count=%d code=%s value=%d\n", usr1_count, code_name(last_code), last_value);
    CHECK_EQ(usr1_count, 3);

    /* --- blocking: the signal stays pending until unblocked ------------------------------ */
    sigset_t set, old, pend;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    MUST(sigprocmask(SIG_BLOCK, &set, &old));
    raise(SIGUSR1);
    raise(SIGUSR1);                                 /* standard signals do not queue */
    CHECK_EQ(usr1_count, 3);
    sigpending(&pend);
    CHECK(sigismember(&pend, SIGUSR1));
    printf("while blocked: count=%d pending=%d\n", usr1_count, sigismember(&pend, SIGUSR1));
    MUST(sigprocmask(SIG_SETMASK, &old, NULL));
    printf("after unblock: count=%d\n", usr1_count);
    CHECK_EQ(usr1_count, 4);
    sigpending(&pend);
    CHECK(!sigismember(&pend, SIGUSR1));

    /* --- SA_RESETHAND: the second SIGUSR2 would kill us, so it is ignored instead -------- */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr2_once;
    sa.sa_flags = SA_RESETHAND;
    MUST(sigaction(SIGUSR2, &sa, NULL));
    raise(SIGUSR2);
    MUST(sigaction(SIGUSR2, NULL, &sa));
    CHECK(sa.sa_handler == SIG_DFL);
    CHECK_EQ(resethand_count, 1);
    signal(SIGUSR2, SIG_IGN);
    raise(SIGUSR2);
    printf("SA_RESETHAND: handler ran %d time(s), then default\n", resethand_count);

    /* --- SIGSEGV on an alternate stack, left with siglongjmp ----------------------------- */
    altstack_size = 64 * 1024;
    altstack_base = malloc(altstack_size);
    stack_t ss = {.ss_sp = altstack_base, .ss_size = altstack_size, .ss_flags = 0};
    MUST(sigaltstack(&ss, NULL));
    stack_t cur;
    MUST(sigaltstack(NULL, &cur));
    CHECK(cur.ss_sp == altstack_base && cur.ss_size == altstack_size && cur.ss_flags == 0);
    install(SIGSEGV, on_segv, SA_ONSTACK);
    volatile int *bad = (volatile int *)(uintptr_t)0x10;
    int caught = 0;
    if (sigsetjmp(jump, 1) == 0) {
        *bad = 1;
        printf("FAIL store to 0x10 did not fault\n");
    } else {
        caught = 1;
    }
    printf("SIGSEGV: caught=%d addr=%#lx code=%s on-altstack=%d\n", caught,
           (unsigned long)fault_addr, code_name(last_code), on_altstack);
    CHECK(caught && fault_addr == 0x10 && last_code == SEGV_MAPERR && on_altstack);
    /* the mask was restored by siglongjmp(…, savemask=1): SIGSEGV is deliverable again */
    caught = 0;
    if (sigsetjmp(jump, 1) == 0) {
        (void)*(volatile int *)(uintptr_t)0xdead0000;
    } else {
        caught = 1;
    }
    CHECK(caught && fault_addr == 0xdead0000);
    printf("second SIGSEGV: caught=%d addr=%#lx\n", caught, (unsigned long)fault_addr);
    /* SIGSEGV for a jump to a bad address: si_addr is the target */
    caught = 0;
    if (sigsetjmp(jump, 1) == 0) {
        void (*fn)(void) = (void (*)(void))(uintptr_t)0x1000;
        fn();
    } else {
        caught = 1;
    }
    CHECK(caught && fault_addr == 0x1000);
    printf("call to 0x1000: caught=%d addr=%#lx\n", caught, (unsigned long)fault_addr);
    ss.ss_flags = SS_DISABLE;
    MUST(sigaltstack(&ss, NULL));

    /* --- SIGILL and SIGTRAP resumed by editing the ucontext ----------------------------- */
    install(SIGILL, on_ill, 0);
    __asm__ volatile(".option push\n.option norvc\n.word 0x00000000\n.option pop");   /* illegal */
    __asm__ volatile(".option push\n.option norvc\n.word 0xffffffff\n.option pop");
    printf("SIGILL: handled %d, resumed after each\n", ill_count);
    CHECK_EQ(ill_count, 2);
    install(SIGTRAP, on_trap, 0);
    register long a0 __asm__("a0") = 1;
    __asm__ volatile(".option push\n.option norvc\nebreak\n.option pop" : "+r"(a0));
    printf("SIGTRAP: handled %d, a0 changed by the handler to %ld\n", trap_count, a0);
    CHECK_EQ(a0, 1234);

    /* --- SIGALRM from setitimer and alarm ------------------------------------------------ */
    signal(SIGALRM, on_alarm);
    struct itimerval it = {.it_interval = {0, 10000}, .it_value = {0, 10000}};
    MUST(setitimer(ITIMER_REAL, &it, NULL));
    while (alarm_count < 3) pause();
    struct itimerval off = {{0, 0}, {0, 0}};
    MUST(setitimer(ITIMER_REAL, &off, NULL));
    printf("setitimer: at least 3 SIGALRMs: %d\n", alarm_count >= 3);
    alarm_count = 0;
    CHECK_EQ(alarm(1), 0);
    CHECK_EQ(alarm(1), 1);                 /* re-arming returns the seconds left (rounded up) */
    while (alarm_count == 0) pause();
    printf("alarm(1): fired %d\n", alarm_count);

    /* --- POSIX timer ----------------------------------------------------------------------- */
    install(SIGRTMIN + 1, on_timer, 0);
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGRTMIN + 1;
    sev.sigev_value.sival_int = 77;
    timer_t tid;
    MUST(timer_create(CLOCK_MONOTONIC, &sev, &tid));
    struct itimerspec its = {.it_interval = {0, 5000000}, .it_value = {0, 5000000}};
    MUST(timer_settime(tid, 0, &its, NULL));
    while (timer_hits < 3) pause();
    struct itimerspec left;
    MUST(timer_gettime(tid, &left));
    CHECK(left.it_interval.tv_nsec == 5000000);
    MUST(timer_delete(tid));
    printf("timer_create: >=3 expirations with value %d\n", timer_value);
    CHECK_EQ(timer_value, 77);

    /* --- real-time signals queue (no merging) and keep FIFO order within one number.
     * The order across numbers is not printed: Linux delivers the lowest first, qemu-user does
     * not, and the handlers' nesting changes it further. */
    install_masked(SIGRTMIN + 2, on_rt, 0, 1);
    install_masked(SIGRTMIN + 3, on_rt, 0, 1);
    sigemptyset(&set);
    sigaddset(&set, SIGRTMIN + 2);
    sigaddset(&set, SIGRTMIN + 3);
    sigprocmask(SIG_BLOCK, &set, &old);
    sigqueue(getpid(), SIGRTMIN + 3, (union sigval){.sival_int = 1});
    sigqueue(getpid(), SIGRTMIN + 2, (union sigval){.sival_int = 2});
    sigqueue(getpid(), SIGRTMIN + 3, (union sigval){.sival_int = 3});
    sigqueue(getpid(), SIGRTMIN + 2, (union sigval){.sival_int = 4});
    sigprocmask(SIG_SETMASK, &old, NULL);
    int pos[5] = {-1, -1, -1, -1, -1}, sum = 0;
    for (int i = 0; i < rt_n; i++) {
        int v = rt_order[i] % 100;
        sum += rt_order[i];
        if (v >= 1 && v <= 4) pos[v] = i;
    }
    int fifo = pos[1] >= 0 && pos[3] > pos[1] && pos[2] >= 0 && pos[4] > pos[2];
    printf("rt signals: %d delivered, sum %d, FIFO within each signal: %d\n", rt_n, sum, fifo);
    CHECK_EQ(rt_n, 4);
    CHECK(fifo);

    /* --- synchronous waiting -------------------------------------------------------------- */
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    sigqueue(getpid(), SIGUSR1, (union sigval){.sival_int = 9});
    siginfo_t si;
    CHECK_EQ(sigwaitinfo(&set, &si), SIGUSR1);
    CHECK_EQ(si.si_value.sival_int, 9);
    struct timespec tmo = {0, 10000000};
    CHECK_ERR(sigtimedwait(&set, &si, &tmo), EAGAIN);
    int count_before = usr1_count;
    raise(SIGUSR1);
    sigset_t waitmask = old;
    sigdelset(&waitmask, SIGUSR1);
    CHECK_ERR(sigsuspend(&waitmask), EINTR);   /* returns after the handler ran */
    CHECK_EQ(usr1_count, count_before + 1);
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("sigwaitinfo value=%d, sigtimedwait timed out, sigsuspend woke\n", si.si_value.sival_int);

    /* --- EINTR: a blocking read interrupted by a handler without SA_RESTART ---------------- */
    int p[2];
    MUST(pipe(p));
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    MUST(sigaction(SIGALRM, &sa, NULL));
    struct itimerval once = {{0, 0}, {0, 20000}};
    setitimer(ITIMER_REAL, &once, NULL);
    char c;
    CHECK_ERR(read(p[0], &c, 1), EINTR);
    printf("blocking read interrupted: EINTR\n");
    close(p[0]);
    close(p[1]);

    /* --- ignored signals do nothing ------------------------------------------------------- */
    signal(SIGUSR1, SIG_IGN);
    raise(SIGUSR1);
    signal(SIGCHLD, SIG_DFL);
    raise(SIGCHLD);                           /* default action: ignore */
    raise(SIGWINCH);
    printf("ignored and default-ignore signals survived\n");
    return DONE("signals");
}
