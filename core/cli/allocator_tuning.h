// How the monitor asks glibc's allocator to treat the memory its cycles
// reuse.
#pragma once

namespace opr::cli {

// Every cycle allocates and frees the same few megabytes (PD's store list,
// Prometheus' answers, their parsers' buffers). With glibc's defaults they
// go back to the kernel and are faulted in again each cycle (about a third
// of a cycle's CPU at 10,000 stores, see bench/RESULTS.md), spread over one
// arena per worker thread, each keeping its own share resident. So, before
// any thread starts: one arena (checks wait on the network, not on malloc's
// lock), blocks under 32 MiB from the heap rather than fresh mappings, and
// up to 64 MiB of free heap kept for the next cycle.
//
// Does nothing when the user set glibc.malloc tunables in GLIBC_TUNABLES:
// theirs win. Does nothing outside glibc. Returns what it did, for the log.
const char* tune_allocator_for_monitor();

}  // namespace opr::cli
