// A small fork-join pool for the recurrent step loops: one call splits a step's work into parts
// that run at the same time, and returns when all are done. Workers spin briefly between calls
// (steps follow each other within microseconds), then nap, then sleep, so an idle pool costs
// nothing; a part that no worker has taken when the caller finishes its own is run by the caller.
#ifndef CLOOM_PARALLEL_H
#define CLOOM_PARALLEL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*loom_task_fn)(void *context, size_t part);

/// Threads a call can use: the processors available to this process (the caller plus workers), at most 16.
size_t loom_parallel_width(void);

/// Caps the threads later calls use (1 = everything on the caller); 0 restores the default.
void loom_parallel_set_limit(size_t threads);

/// Runs task(context, p) for p in 0..<parts and returns when all have finished. Part 0 runs on the
/// caller, part p on worker p - 1 — or on the caller, if that worker has not started it by the
/// time the caller's parts are done; parts beyond loom_parallel_width() run on the caller. Workers
/// run with the caller's floating-point control (flush-to-zero) setting. If the pool is busy (a call
/// from another thread, or from inside a task), all parts run on the caller, one after another.
void loom_parallel_run(size_t parts, loom_task_fn task, void *context);

#ifdef __cplusplus
}
#endif
#endif
