#ifndef LOCKSTEP_ALLOCATION_COUNTER_H
#define LOCKSTEP_ALLOCATION_COUNTER_H

#include <stdint.h>

/// Heap allocations (malloc, calloc, realloc, the aligned forms) made by the calling thread
/// since it started. Always 0 where the counter is not installed (not glibc).
uint64_t lockstep_thread_allocations(void);

/// Blocks freed by the calling thread since it started.
uint64_t lockstep_thread_frees(void);

/// Whether allocations are being counted (the process links this counter and runs on glibc).
int lockstep_allocation_counter_installed(void);

#endif
