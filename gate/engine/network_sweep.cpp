#include "engine/network_sweep.h"

#include "model/run_result.h"
#include "util/redact.h"

namespace chaosgate {

void NetworkSweep::add(const Experiment& ran) {
  for (const Action& action : ran.method) {
    if (action.kind != ActionKind::network || !action.is_fault()) continue;
    const NetworkSpec& spec = action.network();
    if (m_seen_toxics.insert({spec.api, spec.proxy, spec.toxic_name}).second) {
      Action removal;
      removal.kind = ActionKind::network;
      removal.name = "sweep: remove toxic " + spec.toxic_name + " from " + spec.proxy;
      removal.network() = spec;
      removal.network().remove = true;
      m_removals.push_back(std::move(removal));
    }
    if (spec.reset_on_interrupt && m_seen_apis.insert(spec.api).second) {
      Action reset;
      reset.kind = ActionKind::network;
      reset.name = "sweep: reset " + spec.api;
      reset.network() = spec;
      reset.network().reset = true;
      m_resets.push_back(std::move(reset));
    }
  }
}

std::vector<Action> NetworkSweep::actions(bool interrupted) const {
  std::vector<Action> actions = m_removals;
  if (interrupted) actions.insert(actions.end(), m_resets.begin(), m_resets.end());
  return actions;
}

std::vector<ActionRecord> NetworkSweep::perform(bool interrupted, ActionDriver& driver,
                                                std::chrono::milliseconds timeout) const {
  std::vector<ActionRecord> records;
  for (const Action& action : actions(interrupted)) {
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
