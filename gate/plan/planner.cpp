#include "plan/planner.h"

#include <algorithm>
#include <limits>
#include <map>
#include <span>
#include <unordered_map>

#include "plan/target_occupancy.h"
#include "plan/waiting_queue.h"

namespace chaosgate {

bool experiments_conflict(const ExperimentOutline& a, const ExperimentOutline& b) {
  if (a.targets.empty() || b.targets.empty()) return true;
  for (const auto& target : a.targets)
    if (std::find(b.targets.begin(), b.targets.end(), target) != b.targets.end()) return true;
  return false;
}

namespace {
std::map<std::string_view, Millis> target_loads(const std::vector<const ExperimentOutline*>& experiments) {
  std::map<std::string_view, Millis> load;
  for (const auto* experiment : experiments)
    for (const auto& target : experiment->targets) load[target] += experiment->estimated_duration;
  return load;
}

// The experiments each new entry of the plan waits behind: every earlier
// entry it conflicts with, less those "shadowed" by a later entry that
// conflicts with both (that one already waits for it). A direct predecessor
// is therefore the latest entry on each target it shares, so only those are
// candidates; whether a later entry holds targets of both is kept per pair of
// targets, so no earlier entry is ever searched (an experiment with k targets
// records k(k-1)/2 pairs: nothing for blast radii of a handful of targets).
class Predecessors {
 public:
  explicit Predecessors(const TargetOccupancy& occupancy)
      : m_occupancy(occupancy), m_latest_on(occupancy.target_count(), k_no_entry) {}

  // Entry indices, latest first; then records `experiment` as entry `entry`.
  std::vector<std::size_t> add(std::size_t entry, std::size_t experiment) {
    const auto targets = m_occupancy.targets_of(experiment);
    std::vector<std::size_t> candidates;
    if (m_latest_without_targets != k_no_entry) candidates.push_back(m_latest_without_targets);
    if (targets.empty()) {
      for (const auto latest : m_latest_on)
        if (latest != k_no_entry) candidates.push_back(latest);
    } else {
      for (const auto t : targets)
        if (m_latest_on[t] != k_no_entry) candidates.push_back(m_latest_on[t]);
    }
    std::sort(candidates.begin(), candidates.end(), std::greater<>());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    std::vector<std::size_t> direct;
    for (const auto earlier : candidates)
      if (!shadowed(earlier, targets)) direct.push_back(earlier);
    record(entry, experiment, targets);
    return direct;
  }

 private:
  using Targets = std::span<const std::uint32_t>;
  // "No entry yet", as a value rather than an empty std::optional: GCC reads
  // an optional's unset payload before its flag (harmless, but valgrind then
  // reports every plan), and a plain index is half the size.
  static constexpr std::size_t k_no_entry = std::numeric_limits<std::size_t>::max();

  // Whether an entry after `earlier` conflicts with both it and the new entry.
  bool shadowed(std::size_t earlier, Targets targets) const {
    const auto later_than_earlier = [&](std::size_t latest) { return latest != k_no_entry && latest > earlier; };
    if (later_than_earlier(m_latest_without_targets)) return true;  // conflicts with everything
    const auto earlier_targets = m_occupancy.targets_of(m_experiment_of[earlier]);
    if (earlier_targets.empty() && targets.empty()) return m_experiment_of.size() > earlier + 1;
    if (earlier_targets.empty() || targets.empty()) {
      // One of the two conflicts with everything: a later entry on the other's targets conflicts with both.
      const auto held = earlier_targets.empty() ? targets : earlier_targets;
      return std::any_of(held.begin(), held.end(), [&](std::uint32_t t) { return later_than_earlier(m_latest_on[t]); });
    }
    for (const auto a : targets)
      for (const auto b : earlier_targets)
        if (later_than_earlier(latest_on_both(a, b))) return true;
    return false;
  }

  std::size_t latest_on_both(std::uint32_t a, std::uint32_t b) const {
    if (a == b) return m_latest_on[a];
    const auto found = m_latest_on_pair.find(pair_key(a, b));
    if (found == m_latest_on_pair.end()) return k_no_entry;
    return found->second;
  }

  static std::uint64_t pair_key(std::uint32_t a, std::uint32_t b) {
    return (std::uint64_t{std::min(a, b)} << 32) | std::max(a, b);
  }

  void record(std::size_t entry, std::size_t experiment, Targets targets) {
    m_experiment_of.push_back(experiment);
    if (targets.empty()) m_latest_without_targets = entry;
    for (std::size_t i = 0; i < targets.size(); ++i) {
      m_latest_on[targets[i]] = entry;
      for (std::size_t j = i + 1; j < targets.size(); ++j) m_latest_on_pair[pair_key(targets[i], targets[j])] = entry;
    }
  }

  const TargetOccupancy& m_occupancy;
  std::vector<std::size_t> m_latest_on;                          // per target: its latest entry
  std::unordered_map<std::uint64_t, std::size_t> m_latest_on_pair;  // per pair of targets: the latest entry on both
  std::size_t m_latest_without_targets = k_no_entry;
  std::vector<std::size_t> m_experiment_of;  // per entry
};

// priority_order with the targets' loads already summed (make_plan needs them too).
std::vector<std::size_t> order_by_pressure(const std::vector<const ExperimentOutline*>& experiments,
                                           const std::map<std::string_view, Millis>& load) {
  Millis everything{0};
  for (const auto* experiment : experiments) everything += experiment->estimated_duration;
  std::vector<Millis> pressure(experiments.size());
  for (std::size_t i = 0; i < experiments.size(); ++i) {
    // An experiment without targets conflicts with everything: schedule it first.
    if (experiments[i]->targets.empty()) pressure[i] = everything;
    for (const auto& target : experiments[i]->targets) pressure[i] = std::max(pressure[i], load.at(target));
  }
  std::vector<std::size_t> order(experiments.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return pressure[a] > pressure[b]; });
  return order;
}
}  // namespace

std::vector<std::size_t> priority_order(const std::vector<const ExperimentOutline*>& experiments) {
  return order_by_pressure(experiments, target_loads(experiments));
}

std::vector<std::string> Plan::waits_for(std::size_t position) const {
  std::vector<std::string> ids;
  for (std::uint32_t i = waits_start[position]; i < waits_start[position + 1]; ++i) ids.emplace_back(entries[waits[i]].experiment->id);
  return ids;
}

namespace {
// Simulates the scheduler with estimated durations and at most `parallel`
// experiments at once: at each step every waiting experiment (in priority
// order) that conflicts with nothing running starts, within the cap; then
// time advances to the next finish. `started(position, start, estimated)` is
// called for each, in start order. Returns the estimated wall time.
template <typename Started>
Millis simulate(const std::vector<const ExperimentOutline*>& experiments, const std::map<std::string_view, Millis>& loads,
                TargetOccupancy& occupancy, int parallel, Started&& started) {
  WaitingQueue waiting(order_by_pressure(experiments, loads));
  struct Running {
    std::size_t experiment;
    Millis end;
  };
  std::vector<Running> running;
  Millis now{0};
  while (!waiting.empty() || !running.empty()) {
    waiting.offer_each([&](std::size_t candidate) {
      if (static_cast<int>(running.size()) >= parallel || occupancy.all_blocked()) return WaitingQueue::Offer::stop;
      if (!occupancy.is_free_for(candidate)) return WaitingQueue::Offer::not_now;
      const Millis estimated = experiments[candidate]->estimated_duration;
      started(candidate, now, estimated);
      occupancy.occupy(candidate);
      running.push_back({candidate, now + estimated});
      return WaitingQueue::Offer::started;
    });
    if (running.empty()) break;
    const auto next = std::min_element(running.begin(), running.end(), [](const Running& a, const Running& b) { return a.end < b.end; });
    now = next->end;
    std::erase_if(running, [&](const Running& r) {
      if (r.end > now) return false;
      occupancy.release(r.experiment);
      return true;
    });
  }
  return now;
}
}  // namespace

Plan make_plan(const std::vector<const ExperimentOutline*>& experiments, int parallel) {
  Plan plan;
  plan.parallel = std::max(1, parallel);
  const auto loads = target_loads(experiments);
  for (const auto& [target, total] : loads) {
    if (total > plan.critical_path) {
      plan.critical_path = total;
      plan.busiest_target = target;
    }
  }
  for (const auto* experiment : experiments) {
    plan.sequential_sum += experiment->estimated_duration;
    if (experiment->targets.empty()) plan.critical_path = std::max(plan.critical_path, experiment->estimated_duration);
  }

  TargetOccupancy occupancy(experiments);
  Predecessors predecessors(occupancy);
  plan.entries.reserve(experiments.size());
  plan.waits_start.reserve(experiments.size() + 1);
  plan.waits.reserve(experiments.size());
  plan.estimated_wall = simulate(experiments, loads, occupancy, plan.parallel, [&](std::size_t candidate, Millis start, Millis estimated) {
    for (const std::size_t earlier : predecessors.add(plan.entries.size(), candidate))
      plan.waits.push_back(static_cast<std::uint32_t>(earlier));
    plan.waits_start.push_back(static_cast<std::uint32_t>(plan.waits.size()));
    plan.entries.push_back({experiments[candidate], estimated, start, start + estimated});
  });
  return plan;
}

StartOrder plan_start_order(const std::vector<const ExperimentOutline*>& experiments, int parallel) {
  StartOrder order;
  order.positions.reserve(experiments.size());
  TargetOccupancy occupancy(experiments);
  order.estimated_wall = simulate(experiments, target_loads(experiments), occupancy, std::max(1, parallel),
                                  [&](std::size_t candidate, Millis, Millis) { order.positions.push_back(static_cast<std::uint32_t>(candidate)); });
  return order;
}

}  // namespace chaosgate
