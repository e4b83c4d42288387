#pragma once
// The exit policy: from verdicts to the gate's decision and exit code.
#include <string>

#include "model/run_result.h"

namespace chaosgate {

enum class FailOn {
  regression,  // default: a regression fails (1); else an error or abort is inconclusive (3)
  any,         // anything but passed/skipped fails (1), flaky included
  never,       // report only: 0 unless interrupted
};

// Parses "regression", "any", "never"; nullopt otherwise.
std::optional<FailOn> parse_fail_on(const std::string& text);

// Sets run.gate, run.gate_reason and run.exit_code. `signal` (SIGINT/SIGTERM,
// 0 if none) wins over everything: 130 / 143.
void decide_gate(RunResult& run, FailOn policy, int signal);

}  // namespace chaosgate
