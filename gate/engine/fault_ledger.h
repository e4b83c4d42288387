#pragma once
// The faults a run has in effect, recorded while it injects them. The engine
// rolls back every fault itself on pass, failure, timeout, SIGINT and SIGTERM;
// the ledger is for the one case it cannot: a gate killed outright (SIGKILL
// from a CI timeout, the OOM killer). What it left behind names the faults
// whose rollbacks never ran, for `chaosgate recover`.
#include <cstddef>

#include "model/suite.h"

namespace chaosgate {

class FaultLedger {
public:
  virtual ~FaultLedger() = default;
  // The experiment's method starts: its own rollbacks are owed from now on.
  virtual void method_started(const Experiment& experiment) = 0;
  // Before the fault at `method_index` is attempted (a half-applied fault is
  // rolled back too). Throws std::runtime_error when it cannot be recorded:
  // a fault that could not be recovered after a crash is not injected.
  virtual void injecting(const Experiment& experiment, std::size_t method_index) = 0;
  // The experiment's rollbacks ran; `all_ok` false keeps its faults listed
  // as possibly still in effect.
  virtual void rolled_back(const Experiment& experiment, bool all_ok) = 0;
};

}  // namespace chaosgate
