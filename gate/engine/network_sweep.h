#pragma once
// After a SIGINT/SIGTERM (or a network rollback that failed), a last pass over
// the toxics this run may have added: each experiment's own rollback already
// removed its toxic, but a rollback can fail, or race an add still in flight
// when the signal landed. The sweep removes every network fault's toxic again
// by name (a toxic already gone is fine), so toxics others added to a shared
// Toxiproxy are left alone; an API whose actions say `resetOnInterrupt: true`
// (it belongs to this staging alone) is reset as a whole after an interrupt.
#include <chrono>
#include <vector>

#include "engine/ports.h"
#include "model/run_result.h"
#include "model/suite.h"

namespace chaosgate {

// The actions the sweep performs for `experiments` (those that ran): one
// removal per distinct (API, proxy, toxic), then one reset per opted-in API
// when `interrupted`.
std::vector<Action> network_sweep_actions(const std::vector<const Experiment*>& experiments, bool interrupted);

// Performs them; each outcome is an ActionRecord marked as a rollback.
std::vector<ActionRecord> sweep_network_faults(const std::vector<const Experiment*>& experiments, bool interrupted,
                                               ActionDriver& driver, std::chrono::milliseconds timeout);

}  // namespace chaosgate
