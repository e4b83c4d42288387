#pragma once
// Gives the pages freed by a finished phase back to the kernel.

namespace chaosgate {

// `run` calls it at the end of each phase (cli/phase_end.h) and once the
// suite is freed, before the results are read back for the reports. What a
// phase frees stays in the arena of the thread that allocated it, and other
// threads' arenas cannot reuse it: the parsed tree's pages, left in the main
// arena, had a run's allocations pile on top of the load's peak instead of
// filling it, and what the tickets phase freed (1.0 MiB at 10,000
// experiments) stayed beside what the report threads then took. A no-op
// where the C library has no trim.
void release_free_memory();

// Call once, first thing: large blocks (128 KiB and up) are then always their
// own mappings, returned to the kernel when freed. glibc otherwise raises that
// threshold (up to 32 MiB) each time such a block is freed, so once the
// suite's tree was released every later large block (the results, the
// reports' buffers) came from the heap and stayed in it: a 10,000-experiment
// run peaked at 72.8 MiB instead of 64.9.
void return_large_blocks_to_kernel();

}  // namespace chaosgate
