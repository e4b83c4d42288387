#pragma once
// This process's memory as the kernel counts it: what `chaosgate -v run` logs
// after each phase of a run, so the gate's own cost can be read off any run
// (the peak of bench scenario 2 is the highest of those phases).
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

// This process's, from /proc/self/status; nullopt where there is none.
std::optional<ProcessMemory> process_memory();

}  // namespace chaosgate
