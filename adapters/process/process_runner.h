#pragma once
// Runs a command as argv (never through a shell unless the suite says so), in
// its own process group, with a timeout that kills the whole group, and output
// captured up to a bound. The command is done when its process exits: what it
// left running in its group is killed then, and output written after that is
// not waited for.
#include <chrono>
#include <cstddef>
#include <string>

#include "engine/cancellation.h"
#include "model/suite.h"

namespace chaosgate::process {

struct ProcessResult {
  bool started = false;   // false: could not be started (`error` says why: not found, not executable)
  bool timed_out = false; // killed after the timeout (SIGTERM, then SIGKILL after 1 s)
  bool cut_short = false; // killed the same way because `stop` was cancelled
  int exit_code = -1;     // 128 + signal when killed by a signal
  std::string output;     // stdout and stderr interleaved, at most max_output bytes
  std::string error;
  std::chrono::microseconds elapsed{0};
};

// `stop`, when given, is looked at every 100 ms at most: once cancelled (the
// experiment aborted, the gate interrupted) the command is stopped as on a
// timeout, and `error` says "cut short: " and the reason.
ProcessResult run_process(const CommandSpec& command, std::chrono::milliseconds timeout,
                          std::size_t max_output = 64 * 1024, const Cancellation* stop = nullptr);

}  // namespace chaosgate::process
