// Fork-join pool (see CLoomParallel.h). Each worker has its own mailbox: the caller fills it and
// publishes a new sequence number. Whoever claims that number first runs the part: the worker
// when it sees it, or the caller once its own part is done — so a worker that is asleep (waking
// one took 15–25 µs on the project's VM, far more than a small part's work) costs the caller
// only the signal, never a wait. A worker reads its mailbox's job only after claiming it, and
// the caller refills the mailbox only after the part it posted was claimed and, if by the
// worker, done; so no job state is shared between calls.
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE
#endif
#include "CLoomParallel.h"
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define LOOM_PAUSE() _mm_pause()
#elif defined(__aarch64__)
#define LOOM_PAUSE() __asm__ __volatile__("isb" ::: "memory")   // a short, cheap delay, as pause on x86
#else
#define LOOM_PAUSE() ((void)0)
#endif

#define MAX_THREADS 16
// Pause instructions a worker spins before napping (~25 µs): long enough to bridge the gap
// between two steps of a sequence, short enough not to compete with BLAS threads afterwards.
#define SPIN_LIMIT 1000
// Then it naps (timed sleeps from 50 µs, doubling up to 1 ms) for up to ~20 ms, checking for
// work after each: the caller does not signal a napping worker (it runs the worker's part itself
// if it is not taken), and waking a thread with a signal cost 6–8 µs on the project's VM — more
// than most parts. Only after that does it sleep until signalled.
#define NAP_FIRST_NS 50000L
#define NAP_MAX_NS 1000000L
#define NAP_TOTAL_NS 20000000L

typedef struct {
    _Alignas(64) atomic_ulong posted;
    atomic_ulong claimed;                    // the last sequence number someone took to run
    atomic_ulong done;
    atomic_int sleeping;
    loom_task_fn task;
    void *context;
    size_t part;
    unsigned int csr;
    pthread_mutex_t lock;
    pthread_cond_t wake;
} Mailbox;

static Mailbox boxes[MAX_THREADS];
static size_t workerCount;                   // threads besides the caller
static atomic_size_t limit;                  // 0 = no cap
static pthread_once_t started = PTHREAD_ONCE_INIT;
static pthread_mutex_t busy = PTHREAD_MUTEX_INITIALIZER;
static unsigned long sequence;               // guarded by busy

static unsigned int current_csr(void) {
#if defined(__x86_64__) || defined(__i386__)
    return _mm_getcsr();
#else
    return 0;
#endif
}

static void set_csr(unsigned int csr) {
#if defined(__x86_64__) || defined(__i386__)
    if (_mm_getcsr() != csr) _mm_setcsr(csr);
#else
    (void)csr;
#endif
}

// Takes part number `seq` of a mailbox for the calling thread unless someone took it (or a later
// one) already. Claims only move forward, so a worker that read an old number and was then
// descheduled cannot take a job posted since.
static int claim(atomic_ulong *claimed, unsigned long seq) {
    unsigned long old = atomic_load(claimed);
    while (old < seq) {
        if (atomic_compare_exchange_weak(claimed, &old, seq)) return 1;
    }
    return 0;
}

static void *worker_main(void *arg) {
    Mailbox *box = arg;
    unsigned long seen = 0;
    for (;;) {
        unsigned long posted;
        int spins = 0;
        long nap = NAP_FIRST_NS, napped = 0;
        while ((posted = atomic_load_explicit(&box->posted, memory_order_acquire)) == seen) {
            if (++spins < SPIN_LIMIT) { LOOM_PAUSE(); continue; }
            if (napped < NAP_TOTAL_NS) {
                struct timespec ts = { 0, nap };
                nanosleep(&ts, NULL);
                napped += nap;
                nap = nap * 2 > NAP_MAX_NS ? NAP_MAX_NS : nap * 2;
                continue;
            }
            pthread_mutex_lock(&box->lock);
            atomic_store(&box->sleeping, 1);
            while (atomic_load(&box->posted) == seen) pthread_cond_wait(&box->wake, &box->lock);
            atomic_store(&box->sleeping, 0);
            pthread_mutex_unlock(&box->lock);
            spins = 0;
            nap = NAP_FIRST_NS;
            napped = 0;
        }
        seen = posted;
        if (!claim(&box->claimed, posted)) continue;         // the caller ran it
        set_csr(box->csr);
        box->task(box->context, box->part);
        atomic_store_explicit(&box->done, posted, memory_order_release);
    }
    return NULL;
}

// A child process made by fork() has only the forking thread: its copy of the pool has no
// workers, so every call there runs on the caller.
static void forget_workers_after_fork(void) { workerCount = 0; }

static void start_pool(void) {
    pthread_atfork(NULL, NULL, forget_workers_after_fork);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
#if defined(__linux__)
    cpu_set_t allowed;                     // respect taskset/cpuset limits
    if (sched_getaffinity(0, sizeof allowed, &allowed) == 0 && CPU_COUNT(&allowed) < cpus) cpus = CPU_COUNT(&allowed);
#endif
    size_t threads = cpus < 1 ? 1 : (cpus > MAX_THREADS ? MAX_THREADS : (size_t)cpus);
    size_t started_workers = 0;
    for (size_t w = 0; w + 1 < threads; w++) {
        Mailbox *box = &boxes[w];
        atomic_init(&box->posted, 0);
        atomic_init(&box->claimed, 0);
        atomic_init(&box->done, 0);
        atomic_init(&box->sleeping, 0);
        pthread_mutex_init(&box->lock, NULL);
        pthread_cond_init(&box->wake, NULL);
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        pthread_t thread;
        int failed = pthread_create(&thread, &attr, worker_main, box);
        pthread_attr_destroy(&attr);
        if (failed) break;
        started_workers++;
    }
    workerCount = started_workers;
}

size_t loom_parallel_width(void) {
    pthread_once(&started, start_pool);
    size_t width = workerCount + 1, cap = atomic_load(&limit);
    return cap > 0 && cap < width ? cap : width;
}

void loom_parallel_set_limit(size_t threads) { atomic_store(&limit, threads); }

void loom_parallel_run(size_t parts, loom_task_fn task, void *context) {
    size_t width = loom_parallel_width();
    if (parts <= 1 || width <= 1 || pthread_mutex_trylock(&busy) != 0) {
        for (size_t p = 0; p < parts; p++) task(context, p);
        return;
    }
    size_t helpers = parts - 1 < width - 1 ? parts - 1 : width - 1;
    unsigned long seq = ++sequence;
    unsigned int csr = current_csr();
    for (size_t w = 0; w < helpers; w++) {
        Mailbox *box = &boxes[w];
        box->task = task;
        box->context = context;
        box->part = w + 1;
        box->csr = csr;
        atomic_store(&box->posted, seq);          // sequentially consistent: pairs with `sleeping`
        if (atomic_load(&box->sleeping)) {
            pthread_mutex_lock(&box->lock);
            pthread_cond_signal(&box->wake);
            pthread_mutex_unlock(&box->lock);
        }
    }
    task(context, 0);
    for (size_t p = helpers + 1; p < parts; p++) task(context, p);
    for (size_t w = 0; w < helpers; w++) {
        if (claim(&boxes[w].claimed, seq)) {
            task(context, w + 1);                // not started yet: run it here
            continue;
        }
        while (atomic_load_explicit(&boxes[w].done, memory_order_acquire) != seq) LOOM_PAUSE();
    }
    pthread_mutex_unlock(&busy);
}
