#include "engine/network_sweep.h"

#include <set>
#include <tuple>

#include "model/run_result.h"
#include "util/redact.h"

namespace chaosgate {

std::vector<Action> network_sweep_actions(const std::vector<const Experiment*>& experiments, bool interrupted) {
  std::vector<Action> removals, resets;
  std::set<std::tuple<std::string, std::string, std::string>> seen_toxics;
  std::set<std::string> seen_apis;
  for (const Experiment* experiment : experiments) {
    for (const Action& action : experiment->method) {
      if (action.kind != ActionKind::network || !action.is_fault()) continue;
      const NetworkSpec& spec = action.network();
      if (seen_toxics.insert({spec.api, spec.proxy, spec.toxic_name}).second) {
        Action removal;
        removal.kind = ActionKind::network;
        removal.name = "sweep: remove toxic " + spec.toxic_name + " from " + spec.proxy;
        removal.network() = spec;
        removal.network().remove = true;
        removals.push_back(std::move(removal));
      }
      if (interrupted && spec.reset_on_interrupt && seen_apis.insert(spec.api).second) {
        Action reset;
        reset.kind = ActionKind::network;
        reset.name = "sweep: reset " + spec.api;
        reset.network() = spec;
        reset.network().reset = true;
        resets.push_back(std::move(reset));
      }
    }
  }
  removals.insert(removals.end(), resets.begin(), resets.end());
  return removals;
}

std::vector<ActionRecord> sweep_network_faults(const std::vector<const Experiment*>& experiments, bool interrupted,
                                               ActionDriver& driver, std::chrono::milliseconds timeout) {
  std::vector<ActionRecord> records;
  for (const Action& action : network_sweep_actions(experiments, interrupted)) {
    ActionRecord record;
    record.action = action.name;
    record.rollback = true;
    record.started = Clock::now();
    const auto start = std::chrono::steady_clock::now();
    const ActionOutcome outcome = driver.perform(action, timeout, nullptr);  // a cleanup runs to its end
    record.ok = outcome.ok;
    record.detail = redact(outcome.detail);
    record.duration = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace chaosgate
