/*
 * threads: pthread_create/join with return values, 8 threads incrementing shared counters with
 * atomics (fetch_add, CAS loop) and under a mutex, a condition-variable producer/consumer queue,
 * a barrier, pthread_once, thread-local storage (__thread and pthread keys with destructors),
 * a recursive mutex, trylock, pthread_detach, and thread ids.
 */
#include "check.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NTHREADS 8
#define ITERS 100000

static atomic_long atomic_counter;
static atomic_long cas_counter;
static long mutex_counter;
static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER;
static __thread long tls_value = 5;
static __thread char tls_name[16];
static pthread_barrier_t barrier;
static atomic_int before_barrier, after_barrier_ok = 1;
static atomic_int tids_distinct_ok = 1;
static pid_t tids[NTHREADS];

static void *worker(void *arg) {
    long id = (long)(intptr_t)arg;
    CHECK_EQ(tls_value, 5);             /* every thread starts with the initial TLS image */
    tls_value = id * 100;
    snprintf(tls_name, sizeof tls_name, "worker-%ld", id);
    tids[id] = (pid_t)syscall(SYS_gettid);
    if (tids[id] == getpid()) atomic_store(&tids_distinct_ok, 0);

    atomic_fetch_add(&before_barrier, 1);
    int r = pthread_barrier_wait(&barrier);
    CHECK(r == 0 || r == PTHREAD_BARRIER_SERIAL_THREAD);
    if (atomic_load(&before_barrier) != NTHREADS) atomic_store(&after_barrier_ok, 0);

    for (int i = 0; i < ITERS; i++) {
        atomic_fetch_add_explicit(&atomic_counter, 1, memory_order_relaxed);
        long old = atomic_load(&cas_counter);
        while (!atomic_compare_exchange_weak(&cas_counter, &old, old + 2)) {
        }
        pthread_mutex_lock(&mtx);
        mutex_counter += 3;
        pthread_mutex_unlock(&mtx);
    }
    /* TLS survived all of that untouched by other threads */
    char want[16];
    snprintf(want, sizeof want, "worker-%ld", id);
    if (tls_value != id * 100 || strcmp(tls_name, want) != 0) return (void *)(intptr_t)-1;
    return (void *)(intptr_t)(id * id);
}

/* bounded queue with two condition variables */
#define QCAP 4
static int queue[QCAP], qhead, qlen;
static pthread_mutex_t qmtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER, not_full = PTHREAD_COND_INITIALIZER;

static void *producer(void *arg) {
    int base = (int)(intptr_t)arg;
    for (int i = 1; i <= 1000; i++) {
        pthread_mutex_lock(&qmtx);
        while (qlen == QCAP) pthread_cond_wait(&not_full, &qmtx);
        queue[(qhead + qlen++) % QCAP] = base + i;
        pthread_cond_signal(&not_empty);
        pthread_mutex_unlock(&qmtx);
    }
    return NULL;
}

static void *consumer(void *arg) {
    long sum = 0;
    for (int i = 0; i < 1000; i++) {
        pthread_mutex_lock(&qmtx);
        while (qlen == 0) pthread_cond_wait(&not_empty, &qmtx);
        sum += queue[qhead];
        qhead = (qhead + 1) % QCAP;
        qlen--;
        pthread_cond_signal(&not_full);
        pthread_mutex_unlock(&qmtx);
    }
    return (void *)(intptr_t)sum;
}

static int once_calls;
static void once_fn(void) { once_calls++; }
static void *call_once(void *arg) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, once_fn);
    return arg;
}

static pthread_key_t key;
static atomic_int destructor_calls;
static void key_destructor(void *v) {
    if (v) atomic_fetch_add(&destructor_calls, 1);
    free(v);
}
static void *use_key(void *arg) {
    pthread_setspecific(key, malloc(16));
    return pthread_getspecific(key) ? arg : NULL;
}

static atomic_int detached_ran;
static void *detached(void *arg) {
    atomic_store(&detached_ran, 1);
    return arg;
}

/* a timed wait that times out */
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;

int main(void) {
    pthread_t th[NTHREADS];
    pthread_barrier_init(&barrier, NULL, NTHREADS);
    tls_value = 1;
    for (long i = 0; i < NTHREADS; i++)
        CHECK_EQ(pthread_create(&th[i], NULL, worker, (void *)(intptr_t)i), 0);
    long ret_sum = 0;
    for (int i = 0; i < NTHREADS; i++) {
        void *ret;
        CHECK_EQ(pthread_join(th[i], &ret), 0);
        CHECK(ret != (void *)(intptr_t)-1);
        ret_sum += (long)(intptr_t)ret;
    }
    CHECK_EQ(tls_value, 1);             /* the main thread's TLS is its own */
    CHECK(atomic_load(&after_barrier_ok));
    CHECK(atomic_load(&tids_distinct_ok));
    int distinct = 1;
    for (int i = 0; i < NTHREADS; i++)
        for (int j = i + 1; j < NTHREADS; j++) distinct &= tids[i] != tids[j];
    CHECK(distinct);
    printf("atomic counter: %ld (expect %d)\n", atomic_load(&atomic_counter), NTHREADS * ITERS);
    printf("cas counter: %ld (expect %d)\n", atomic_load(&cas_counter), 2 * NTHREADS * ITERS);
    printf("mutex counter: %ld (expect %d)\n", mutex_counter, 3 * NTHREADS * ITERS);
    printf("join return values summed: %ld\n", ret_sum);
    CHECK_EQ(atomic_load(&atomic_counter), NTHREADS * ITERS);
    CHECK_EQ(atomic_load(&cas_counter), 2 * NTHREADS * ITERS);
    CHECK_EQ(mutex_counter, 3 * NTHREADS * ITERS);
    CHECK_EQ(ret_sum, 140);

    /* two producers, two consumers */
    pthread_t prod[2], cons[2];
    pthread_create(&cons[0], NULL, consumer, NULL);
    pthread_create(&cons[1], NULL, consumer, NULL);
    pthread_create(&prod[0], NULL, producer, (void *)0);
    pthread_create(&prod[1], NULL, producer, (void *)(intptr_t)100000);
    long total = 0;
    for (int i = 0; i < 2; i++) {
        void *r;
        pthread_join(prod[i], NULL);
        pthread_join(cons[i], &r);
        total += (long)(intptr_t)r;
    }
    printf("producer/consumer total: %ld\n", total);
    CHECK_EQ(total, 2 * 500500 + 1000 * 100000);

    /* pthread_once from many threads */
    for (int i = 0; i < NTHREADS; i++) pthread_create(&th[i], NULL, call_once, NULL);
    for (int i = 0; i < NTHREADS; i++) pthread_join(th[i], NULL);
    call_once(NULL);
    printf("pthread_once ran %d time(s)\n", once_calls);
    CHECK_EQ(once_calls, 1);

    /* thread-specific data destructors run at thread exit */
    pthread_key_create(&key, key_destructor);
    for (int i = 0; i < 4; i++) pthread_create(&th[i], NULL, use_key, (void *)1);
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(th[i], &r);
        CHECK(r == (void *)1);
    }
    printf("key destructors: %d\n", atomic_load(&destructor_calls));
    CHECK_EQ(atomic_load(&destructor_calls), 4);

    /* recursive and error-checking mutexes, trylock */
    pthread_mutexattr_t ma;
    pthread_mutex_t rec, errchk;
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&rec, &ma);
    CHECK_EQ(pthread_mutex_lock(&rec), 0);
    CHECK_EQ(pthread_mutex_lock(&rec), 0);
    CHECK_EQ(pthread_mutex_unlock(&rec), 0);
    CHECK_EQ(pthread_mutex_unlock(&rec), 0);
    pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(&errchk, &ma);
    CHECK_EQ(pthread_mutex_lock(&errchk), 0);
    CHECK_EQ(pthread_mutex_lock(&errchk), EDEADLK);
    CHECK_EQ(pthread_mutex_unlock(&errchk), 0);
    CHECK_EQ(pthread_mutex_unlock(&errchk), EPERM);
    CHECK_EQ(pthread_mutex_lock(&mtx), 0);
    CHECK_EQ(pthread_mutex_trylock(&mtx), EBUSY);
    CHECK_EQ(pthread_mutex_unlock(&mtx), 0);
    CHECK_EQ(pthread_mutex_trylock(&mtx), 0);
    CHECK_EQ(pthread_mutex_unlock(&mtx), 0);

    /* timed condition wait times out */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 20 * 1000000;
    if (ts.tv_nsec >= 1000000000) { ts.tv_sec++; ts.tv_nsec -= 1000000000; }
    pthread_mutex_lock(&mtx);
    CHECK_EQ(pthread_cond_timedwait(&never, &mtx, &ts), ETIMEDOUT);
    pthread_mutex_unlock(&mtx);

    /* a detached thread */
    pthread_t dt;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    CHECK_EQ(pthread_create(&dt, &attr, detached, NULL), 0);
    for (int i = 0; i < 2000 && !atomic_load(&detached_ran); i++) usleep(1000);
    CHECK(atomic_load(&detached_ran));
    CHECK(pthread_equal(pthread_self(), pthread_self()));
    printf("detached thread ran: %d\n", atomic_load(&detached_ran));
    return DONE("threads");
}
