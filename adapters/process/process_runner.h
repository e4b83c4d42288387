#pragma once
// Runs a command as argv (never through a shell unless the suite says so), in
// its own process group, with a timeout that kills the whole group, and output
// captured up to a bound.
#include <chrono>
#include <cstddef>
#include <string>

#include "model/suite.h"

namespace chaosgate::process {

struct ProcessResult {
  bool started = false;   // false: could not be started (`error` says why: not found, not executable)
  bool timed_out = false; // killed after the timeout (SIGTERM, then SIGKILL after 1 s)
  int exit_code = -1;     // 128 + signal when killed by a signal
  std::string output;     // stdout and stderr interleaved, at most max_output bytes
  std::string error;
  std::chrono::microseconds elapsed{0};
};

ProcessResult run_process(const CommandSpec& command, std::chrono::milliseconds timeout,
                          std::size_t max_output = 64 * 1024);

}  // namespace chaosgate::process
