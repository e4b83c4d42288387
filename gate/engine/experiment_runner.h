#pragma once
// Runs one experiment: steady state before, fault injection with observation
// and stop conditions, rollbacks always, recovery check after; retries to tell
// a regression from a flake.
#include <chrono>
#include <optional>

#include "engine/fault_ledger.h"
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
  FaultLedger* ledger = nullptr;  // where faults in effect are recorded (none: not recorded)
};

// Never throws for failures of the target system: everything ends in the
// verdict. Rollbacks of every injected fault have run when it returns, on
// every path (pass, failure, error, stop condition, timeout, signal).
ExperimentResult run_experiment(const Experiment& experiment, const ExperimentContext& context);

// The rollbacks owed once `injected` (faults of `experiment`'s method, in the
// order injected) were attempted: each fault's own in reverse order, then the
// experiment's own in reverse. Every one runs even when an earlier one failed;
// each is bounded by the smaller of its timeout and `cap`.
std::vector<ActionRecord> run_rollbacks(const Experiment& experiment, const std::vector<const Action*>& injected,
                                        ActionDriver& driver, std::chrono::milliseconds cap);

}  // namespace chaosgate
