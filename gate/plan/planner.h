#pragma once
// The execution plan: which experiments may run together (disjoint targets),
// in which order, and how long the run should take. `list` prints it and
// `run` executes in the same order with the same rule.
#include <cstdint>
#include <string>
#include <vector>

#include "model/experiment_outline.h"

namespace chaosgate {

struct PlannedExperiment {
  const ExperimentOutline* experiment = nullptr;
  Millis estimated{0};
  Millis start{0};  // estimated offset from the start of the run
  Millis end{0};
};

struct Plan {
  std::vector<PlannedExperiment> entries;  // in start order
  int parallel = 1;
  Millis sequential_sum{0};
  Millis critical_path{0};  // the busiest target's total
  std::string busiest_target;
  Millis estimated_wall{0};

  // The ids entry `position` waits behind: the latest experiment before it on
  // each target it shares (all of them for one without targets), unless a
  // later experiment that also conflicts with it already follows that one;
  // latest first.
  std::vector<std::string> waits_for(std::size_t position) const;

  // Filled by make_plan, in entry order: entry i waits behind the entries at
  // waits[waits_start[i]] up to waits[waits_start[i + 1]]. One array for all,
  // not a list of ids per entry: nearly every entry waits for one, and a
  // vector and an id each were half the plan's memory (10,000 entries: ~0.6 MB).
  std::vector<std::uint32_t> waits;
  std::vector<std::uint32_t> waits_start{0};
};

// Two experiments conflict when their targets intersect, or when either has
// no targets (unknown blast radius: it runs alone). The rule by name; the plan
// and the scheduler apply it through numbered targets (TargetOccupancy).
bool experiments_conflict(const ExperimentOutline& a, const ExperimentOutline& b);

// Priority order, as positions in `experiments`: experiments on the busiest
// targets first, then suite order. This keeps the wall time near the critical path.
std::vector<std::size_t> priority_order(const std::vector<const ExperimentOutline*>& experiments);

// Simulates the scheduler with estimated durations and at most `parallel`
// experiments at once.
Plan make_plan(const std::vector<const ExperimentOutline*>& experiments, int parallel);

// Only the plan's start order and its estimated wall time, from the same
// simulation: what `run` needs, without the plan's entries and what each
// waits behind (~0.5 MB at 10,000 experiments, at the run's peak).
struct StartOrder {
  std::vector<std::uint32_t> positions;  // in `experiments`, in start order
  Millis estimated_wall{0};
};
StartOrder plan_start_order(const std::vector<const ExperimentOutline*>& experiments, int parallel);

}  // namespace chaosgate
