#pragma once
// Runs the selected experiments: disjoint blast radii in parallel, shared
// targets never overlapping, in the planner's priority order.
#include <chrono>
#include <functional>
#include <optional>
#include <vector>

#include "engine/experiment_runner.h"

namespace chaosgate {

struct SuiteRunOptions {
  int parallel = 16;
  std::optional<std::chrono::steady_clock::time_point> deadline;  // experiments not started by then are skipped
  // Called from worker threads when an experiment starts and when it ends.
  std::function<void(const Experiment&)> on_start;
  std::function<void(const ExperimentResult&)> on_finish;
  // Called from the worker with each finished result and its position in the
  // order given, before it is stored: may take out what it has kept elsewhere
  // (the run spools a passed experiment's journal record and drops its attempts).
  std::function<void(std::size_t, ExperimentResult&)> on_result;
};

// Returns one result per experiment, in the order given (skipped ones
// included, with the reason). Waits for every started experiment, so every
// rollback has run when it returns.
std::vector<ExperimentResult> run_experiments(const std::vector<const Experiment*>& experiments,
                                              const ExperimentContext& context, const SuiteRunOptions& options);

}  // namespace chaosgate
