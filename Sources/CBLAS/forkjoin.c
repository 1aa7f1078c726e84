// genlab_pair: two tasks at once, the second on a persistent helper thread (see CBLAS.h).
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include "CBLAS.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t busy = PTHREAD_MUTEX_INITIALIZER;   // one pair at a time
static pthread_mutex_t sleep_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static int helper_ok = 0;

// posted counts the tasks handed over, finished those the helper completed; the helper
// works while finished < posted. `sleeping` tells the poster to signal the condition.
static _Atomic unsigned long posted = 0, finished = 0;
static _Atomic int sleeping = 0;
// Whether the helper spins after the current task (see genlab_pair's `linger`).
static _Atomic int linger = 0;
static genlab_task task_fn;
static void *task_ctx;

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static inline void relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

static void *helper(void *unused) {
    (void)unused;
    const double spin = 1e-3;  // seconds of spinning before sleeping
    for (;;) {
        unsigned long done = atomic_load_explicit(&finished, memory_order_relaxed);
        if (atomic_load(&linger)) {
            double start = seconds();
            int n = 0;
            while (atomic_load_explicit(&posted, memory_order_acquire) == done) {
                relax();
                if (++n % 256 == 0 && seconds() - start > spin) break;
            }
        }
        if (atomic_load_explicit(&posted, memory_order_acquire) == done) {
            pthread_mutex_lock(&sleep_lock);
            atomic_store(&sleeping, 1);
            while (atomic_load(&posted) == done) pthread_cond_wait(&wake, &sleep_lock);
            atomic_store(&sleeping, 0);
            pthread_mutex_unlock(&sleep_lock);
        }
        task_fn(task_ctx);
        atomic_store_explicit(&finished, done + 1, memory_order_release);
    }
    return 0;
}

static void start_helper(void) {
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    helper_ok = pthread_create(&t, &attr, helper, 0) == 0;
    pthread_attr_destroy(&attr);
}

void genlab_pair(genlab_task a, void *ca, genlab_task b, void *cb, int linger_after) {
    pthread_once(&once, start_helper);
    if (!helper_ok || pthread_mutex_trylock(&busy) != 0) { a(ca); b(cb); return; }
    task_fn = b; task_ctx = cb;
    atomic_store(&linger, linger_after);
    unsigned long ticket = atomic_load(&posted) + 1;
    atomic_store(&posted, ticket);  // sequentially consistent: ordered before the load of `sleeping`
    if (atomic_load(&sleeping)) {
        pthread_mutex_lock(&sleep_lock);
        pthread_cond_signal(&wake);
        pthread_mutex_unlock(&sleep_lock);
    }
    a(ca);
    while (atomic_load_explicit(&finished, memory_order_acquire) != ticket) relax();
    pthread_mutex_unlock(&busy);
}
