#pragma once
// After a SIGINT/SIGTERM (or a network rollback that failed), a last pass over
// the toxics this run may have added: each experiment's own rollback already
// removed its toxic, but a rollback can fail, or race an add still in flight
// when the signal landed. The sweep removes every network fault's toxic again
// by name (a toxic already gone is fine), so toxics others added to a shared
// Toxiproxy are left alone; an API whose actions say `resetOnInterrupt: true`
// (it belongs to this staging alone) is reset as a whole after an interrupt.
#include <chrono>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "engine/ports.h"
#include "model/run_result.h"
#include "model/suite.h"

namespace chaosgate {

// The sweep of the experiments that ran, gathered one experiment at a time
// (a run reads them back from its spool one by one): one removal per distinct
// (API, proxy, toxic), then one reset per opted-in API when interrupted.
class NetworkSweep {
public:
  void add(const Experiment& ran);
  std::vector<Action> actions(bool interrupted) const;
  // Performs them; each outcome is an ActionRecord marked as a rollback.
  std::vector<ActionRecord> perform(bool interrupted, ActionDriver& driver, std::chrono::milliseconds timeout) const;

private:
  std::vector<Action> m_removals;
  std::vector<Action> m_resets;  // for an interrupt only
  std::set<std::tuple<std::string, std::string, std::string>> m_seen_toxics;
  std::set<std::string> m_seen_apis;
};

}  // namespace chaosgate
