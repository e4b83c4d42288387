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
};

// Takes each result once it is final, with the experiment's position in the
// order given: from the worker that ran it (several at once, each with its own
// position) and, for those skipped, from the calling thread.
using ResultSink = std::function<void(std::size_t position, ExperimentResult&& result)>;

// Hands one result per experiment to `keep` (skipped ones included, with the
// reason). Waits for every started experiment, so every rollback has run when
// it returns.
void run_experiments(const std::vector<const Experiment*>& experiments, const ExperimentContext& context,
                     const SuiteRunOptions& options, const ResultSink& keep);

}  // namespace chaosgate
