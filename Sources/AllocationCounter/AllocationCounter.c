// Counts heap allocations per thread so `lockstep bench` can show what a hot path allocates.
//
// The executable defines malloc and friends; the dynamic linker binds every module's calls
// (the Swift runtime's included) to these definitions before libc's. Each one bumps a
// thread-local counter and forwards to glibc's own entry points (__libc_malloc and so on),
// which avoids the dlsym(RTLD_NEXT) bootstrap problem: dlsym may itself allocate. Counting is
// a thread-local increment, so the counter stays installed in every build rather than being
// switched on for benchmarks only.
#include "AllocationCounter.h"

#if defined(__GLIBC__)
#include <errno.h>
#include <stddef.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void __libc_free(void *pointer);

// initial-exec: the counter lives in the executable's static TLS block, which exists before
// any code of the thread runs, so touching it inside malloc never allocates.
static __thread uint64_t allocations __attribute__((tls_model("initial-exec")));
static __thread uint64_t frees __attribute__((tls_model("initial-exec")));

void *malloc(size_t size) {
    allocations++;
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    allocations++;
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    allocations++;
    return __libc_realloc(pointer, size);
}

void *memalign(size_t alignment, size_t size) {
    allocations++;
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    allocations++;
    return __libc_memalign(alignment, size);
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    // glibc's own checks: a power of two and a multiple of sizeof(void *).
    if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL) return ENOMEM;
    allocations++;
    *result = pointer;
    return 0;
}

void free(void *pointer) {
    if (pointer != NULL) frees++;
    __libc_free(pointer);
}

uint64_t lockstep_thread_allocations(void) { return allocations; }
uint64_t lockstep_thread_frees(void) { return frees; }
int lockstep_allocation_counter_installed(void) { return 1; }

#else

uint64_t lockstep_thread_allocations(void) { return 0; }
uint64_t lockstep_thread_frees(void) { return 0; }
int lockstep_allocation_counter_installed(void) { return 0; }

#endif
