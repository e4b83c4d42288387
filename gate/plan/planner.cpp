#include "plan/planner.h"

#include <algorithm>
#include <map>

namespace chaosgate {

bool experiments_conflict(const Experiment& a, const Experiment& b) {
  if (a.targets.empty() || b.targets.empty()) return true;
  for (const auto& target : a.targets)
    if (std::find(b.targets.begin(), b.targets.end(), target) != b.targets.end()) return true;
  return false;
}

namespace {
std::map<std::string, Millis> target_loads(const std::vector<const Experiment*>& experiments) {
  std::map<std::string, Millis> load;
  for (const auto* experiment : experiments)
    for (const auto& target : experiment->targets) load[target] += experiment->estimated_duration();
  return load;
}
}  // namespace

std::vector<const Experiment*> priority_order(const std::vector<const Experiment*>& experiments) {
  const auto load = target_loads(experiments);
  Millis everything{0};
  for (const auto* experiment : experiments) everything += experiment->estimated_duration();
  auto pressure = [&](const Experiment* e) {
    // An experiment without targets conflicts with everything: schedule it first.
    if (e->targets.empty()) return everything;
    Millis most{0};
    for (const auto& target : e->targets) most = std::max(most, load.at(target));
    return most;
  };
  std::vector<const Experiment*> order = experiments;
  std::stable_sort(order.begin(), order.end(),
                   [&](const Experiment* a, const Experiment* b) { return pressure(a) > pressure(b); });
  return order;
}

Plan make_plan(const std::vector<const Experiment*>& experiments, int parallel) {
  Plan plan;
  plan.parallel = std::max(1, parallel);
  for (const auto& [target, total] : target_loads(experiments)) {
    if (total > plan.critical_path) {
      plan.critical_path = total;
      plan.busiest_target = target;
    }
  }
  for (const auto* experiment : experiments) {
    plan.sequential_sum += experiment->estimated_duration();
    if (experiment->targets.empty()) plan.critical_path = std::max(plan.critical_path, experiment->estimated_duration());
  }

  // Event simulation: at each step start every waiting experiment (in
  // priority order) that conflicts with nothing running, within the cap;
  // then advance to the next finish.
  std::vector<const Experiment*> waiting = priority_order(experiments);
  std::vector<PlannedExperiment> running;
  Millis now{0};
  while (!waiting.empty() || !running.empty()) {
    for (auto it = waiting.begin(); it != waiting.end() && static_cast<int>(running.size()) < plan.parallel;) {
      const Experiment* candidate = *it;
      const bool blocked = std::any_of(running.begin(), running.end(), [&](const PlannedExperiment& r) {
        return experiments_conflict(*r.experiment, *candidate);
      });
      if (blocked) {
        ++it;
        continue;
      }
      PlannedExperiment entry{candidate, candidate->estimated_duration(), now, now + candidate->estimated_duration(), {}};
      // Direct predecessors only: the latest earlier experiment on each shared target.
      for (auto earlier = plan.entries.rbegin(); earlier != plan.entries.rend(); ++earlier) {
        if (!experiments_conflict(*earlier->experiment, *candidate)) continue;
        const bool shadowed = std::any_of(plan.entries.rbegin(), earlier, [&](const PlannedExperiment& later) {
          return experiments_conflict(*later.experiment, *candidate) && experiments_conflict(*later.experiment, *earlier->experiment);
        });
        if (!shadowed) entry.waits_for.push_back(earlier->experiment->id);
      }
      running.push_back(entry);
      plan.entries.push_back(entry);
      it = waiting.erase(it);
    }
    if (running.empty()) break;
    const auto next = std::min_element(running.begin(), running.end(),
                                       [](const PlannedExperiment& a, const PlannedExperiment& b) { return a.end < b.end; });
    now = next->end;
    running.erase(std::remove_if(running.begin(), running.end(), [&](const PlannedExperiment& r) { return r.end <= now; }),
                  running.end());
  }
  plan.estimated_wall = now;
  return plan;
}

}  // namespace chaosgate
