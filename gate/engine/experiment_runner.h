#pragma once
// Runs one experiment: steady state before, fault injection with observation
// and stop conditions, rollbacks always, recovery check after; retries to tell
// a regression from a flake.
#include <chrono>
#include <optional>

#include "engine/interruption.h"
#include "engine/ports.h"
#include "model/run_result.h"
#include "model/suite.h"

namespace chaosgate {

struct ExperimentContext {
  const Suite& suite;
  ProbeDriver& probes;
  ActionDriver& actions;
  Interruption& interruption;
  std::chrono::milliseconds rollback_timeout{30000};  // cap for each rollback action
  std::chrono::milliseconds recovery_poll{500};       // between steady-state-after rounds
  std::chrono::milliseconds stop_condition_every{1000};  // for stop conditions without `every`
};

// Never throws for failures of the target system: everything ends in the
// verdict. Rollbacks of every injected fault have run when it returns, on
// every path (pass, failure, error, stop condition, timeout, signal).
ExperimentResult run_experiment(const Experiment& experiment, const ExperimentContext& context);

}  // namespace chaosgate
