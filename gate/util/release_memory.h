#pragma once
// Gives the pages freed by a finished phase back to the kernel.

namespace chaosgate {

// Call after loading a suite, before the run starts its threads: the parsed
// tree's pages stay in the main malloc arena once freed, and the threads'
// own arenas cannot reuse them, so a run's allocations piled on top of the
// load's peak instead of filling it. A no-op where the C library has no trim.
void release_free_memory();

}  // namespace chaosgate
