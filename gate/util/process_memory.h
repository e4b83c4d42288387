#pragma once
// This process's memory as the kernel counts it: what `chaosgate -v run` logs
// after each phase of a run, so the gate's own cost can be read off any run
// (the peak of bench scenario 2 is the highest of those phases).
#include <atomic>
#include <optional>
#include <string_view>

namespace chaosgate {

struct ProcessMemory {
  long resident_kib = 0;  // VmRSS: resident now
  long peak_kib = 0;      // VmHWM: the most ever resident
};

// VmRSS and VmHWM from the text of /proc/<pid>/status; nullopt when either is
// missing or not a number of kB.
std::optional<ProcessMemory> parse_process_status(std::string_view status);

// `now` with its peak raised to the highest peak or resident size seen by
// earlier calls with the same `highest`, which it updates. Since Linux 6.2 the
// kernel's resident counts are per-CPU sums read without locking, so VmHWM
// read now can be a little below VmHWM read a moment ago; a peak that went
// down would be wrong.
ProcessMemory with_highest_peak(ProcessMemory now, std::atomic<long>& highest);

// This process's, from /proc/self/status; nullopt where there is none. Its
// peak never reads lower than one read before in this process.
std::optional<ProcessMemory> process_memory();

}  // namespace chaosgate
