#!/usr/bin/env python3
"""Shares of a `lockstep serve` profile by component (scripts/profile-serve, docs/serve.md §9).

Input: `perf script -F pid,ip,sym | swift demangle --simplified`. The process with the most
samples is the one counted; each sample goes to the first rule its call chain matches, so the
order of the rules decides what an ambiguous sample counts as (a memmove under the engine's
queue insertion is the queue's, a page fault under a system call is the system call's).
Usage: serve_profile_components.py FILE
"""
import collections
import sys

ALLOCATOR = ('_int_malloc', 'malloc', '_int_free', 'free', 'cfree', 'unlink_chunk', '__malloc',
             'malloc_consolidate', 'sysmalloc', 'swift_slowAlloc', 'swift_slowDealloc',
             'swift_allocObject', 'swift_deallocClassInstance', 'swift_deallocObject',
             '_ContiguousArrayStorage')
REFERENCE_COUNTING = ('swift_retain', 'swift_release', 'swift::RefCounts', 'swift_arrayDestroy',
                      'swift_isUniquelyReferenced', 'swift_bridgeObject', 'outlined copy',
                      'outlined consume', 'outlined destroy', 'outlined retain', 'outlined release')
EXCLUSIVITY = ('swift_beginAccess', 'swift_endAccess', 'swift::runtime::AccessSet')
ENGINE = ('COLOCompare', 'CompareConnection', 'COLOPacketParser', 'DecisionSink', 'ConnectionIndex',
          'QueuedPacket', 'memcmp')


def read_samples(path):
    """Call chains (innermost frame first) per process id; perf indents frames with a tab."""
    by_process = {}
    chain = None
    with open(path) as text:
        for line in text:
            if not line.strip():
                chain = None
            elif not line.startswith('\t'):
                # A sample's header: its process id (right-aligned, so maybe after spaces).
                chain = []
                by_process.setdefault(line.strip(), []).append(chain)
            elif chain is not None:
                parts = line.strip().split(' ', 1)
                if len(parts) == 2:
                    chain.append(parts[1])
    return by_process


def component(chain):
    top = chain[0]
    near = chain[:4]
    if any('_dl_' in frame or 'dl_main' in frame or 'conformsToProtocol' in frame for frame in chain):
        return 'start-up'
    if 'memmove' in top and any('CompareConnection.insert' in frame for frame in chain):
        return 'engine: TCP queue insertion (memmove)'
    if any('do_syscall_64' in frame for frame in chain):
        for name in ('recv', 'send', 'poll'):
            if any(name in frame for frame in chain):
                return 'kernel: ' + name
        return 'kernel: other system calls'
    if any('exc_page_fault' in frame for frame in chain):
        return 'kernel: page faults'
    if top.startswith(ALLOCATOR):
        return 'malloc/free'
    if top.startswith(REFERENCE_COUNTING):
        return 'retain/release, value copies'
    if top.startswith(EXCLUSIVITY):
        return 'exclusivity checks'
    if any(frame.startswith(('RecordEncoder', 'OutputChannel')) for frame in near):
        return 'daemon: encode into the batch'
    if any(any(name in frame for name in ENGINE) for frame in chain[:3]):
        return 'engine: parse, table, judge, memcmp'
    if any(frame.startswith('RecordDecoder') for frame in chain[:3]) \
            or ('memmove' in top and any('CompareHost.receive' in frame for frame in chain[:3])):
        return 'daemon: decode (the copy into the frame)'
    if any(frame.startswith(('ActionRouter', 'ServeCounters')) for frame in chain[:3]):
        return 'daemon: route actions'
    return 'other'


def main():
    by_process = read_samples(sys.argv[1])
    if not by_process:
        sys.exit('no samples')
    pid, chains = max(by_process.items(), key=lambda item: len(item[1]))
    chains = [chain for chain in chains if chain]
    counts = collections.Counter(component(chain) for chain in chains)
    print(f'{len(chains)} samples (pid {pid})')
    for name, count in counts.most_common():
        print(f'{100 * count / len(chains):5.1f}%  {name}')


if __name__ == '__main__':
    main()
