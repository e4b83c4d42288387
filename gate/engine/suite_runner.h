#pragma once
// Runs the selected experiments: disjoint blast radii in parallel, shared
// targets never overlapping, in the planner's priority order.
#include <chrono>
#include <functional>
#include <optional>
#include <vector>

#include "engine/experiment_runner.h"
#include "engine/experiment_shelf.h"
#include "plan/target_occupancy.h"

namespace chaosgate {

struct SuiteRunOptions {
  int parallel = 16;
  std::optional<std::chrono::steady_clock::time_point> deadline;  // experiments not started by then are skipped
  // Called from worker threads when an experiment starts and when it ends.
  std::function<void(const Experiment&)> on_start;
  std::function<void(const ExperimentResult&)> on_finish;
};

// What the scheduler needs of every experiment before any starts (the order
// they are offered in, their targets), taken from their outlines: the
// experiments themselves wait on a shelf until each starts.
struct Schedule {
  explicit Schedule(const std::vector<const ExperimentOutline*>& experiments);
  // The same for experiments in memory (their outlines made on the way).
  static Schedule of(const std::vector<const Experiment*>& experiments);
  std::vector<std::size_t> priority;  // positions, most important first
  TargetOccupancy occupancy;
};

// Takes each result once it is final, with the experiment's position in the
// order given: from the worker that ran it (several at once, each with its own
// position) and, for those skipped, from the calling thread.
using ResultSink = std::function<void(std::size_t position, ExperimentResult&& result)>;

// Hands one result per experiment of `shelf` to `keep` (skipped ones
// included, with the reason). Each experiment is taken from the shelf when it
// starts (or is skipped) and let go when it ends; one that cannot be read back
// does not run and ends as `error`. Waits for every started experiment, so
// every rollback has run when it returns.
void run_experiments(Schedule schedule, const ExperimentShelf& shelf, const ExperimentContext& context,
                     const SuiteRunOptions& options, const ResultSink& keep);

// The same over experiments in memory.
void run_experiments(const std::vector<const Experiment*>& experiments, const ExperimentContext& context,
                     const SuiteRunOptions& options, const ResultSink& keep);

}  // namespace chaosgate
