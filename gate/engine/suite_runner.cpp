#include "engine/suite_runner.h"

#include <cassert>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "engine/experiment_info.h"
#include "plan/planner.h"
#include "plan/target_occupancy.h"
#include "plan/waiting_queue.h"

namespace chaosgate {

namespace {
// An experiment the shelf could not give back: it is not run (nothing is
// injected), and its id is not known either.
ExperimentResult unreadable(std::size_t position, const std::string& why) {
  ExperimentResult result;
  result.experiment.id = "experiment " + std::to_string(position + 1) + " of the run's order";
  result.verdict = Verdict::error;
  result.reason = "not run: it could not be read back: " + why;
  result.started = Clock::now();
  return result;
}

ExperimentResult skipped(const ExperimentShelf& shelf, std::size_t position, const ExperimentContext& context,
                         std::string reason) {
  std::optional<Experiment> held;
  ExperimentResult result;
  try {
    result.experiment = make_experiment_info(context.suite, shelf.get(position, held));
  } catch (const std::exception& e) {
    return unreadable(position, e.what());
  }
  result.verdict = Verdict::skipped;
  result.reason = std::move(reason);
  result.started = Clock::now();
  return result;
}

// Runs the experiment at `position`, from the worker thread that has it.
ExperimentResult run_one(const ExperimentShelf& shelf, std::size_t position, const ExperimentContext& context,
                         const SuiteRunOptions& options) {
  std::optional<Experiment> held;  // a read-back copy, let go when it ends
  const Experiment* experiment = nullptr;
  try {
    experiment = &shelf.get(position, held);
  } catch (const std::exception& e) {
    return unreadable(position, e.what());
  }
  if (options.on_start) options.on_start(*experiment);
  return run_experiment(*experiment, context);
}
}  // namespace

Schedule::Schedule(const std::vector<const ExperimentOutline*>& experiments)
    : priority(priority_order(experiments)), occupancy(experiments) {}

Schedule Schedule::of(const std::vector<const Experiment*>& experiments) {
  Outlines outlines;
  outlines.list.reserve(experiments.size());
  for (const Experiment* experiment : experiments)
    outlines.list.push_back(outline_of(*experiment, static_cast<std::uint32_t>(outlines.list.size()), outlines.names));
  return Schedule(pointers_to(outlines.list));
}

void run_experiments(const std::vector<const Experiment*>& experiments, const ExperimentContext& context,
                     const SuiteRunOptions& options, const ResultSink& keep) {
  run_experiments(Schedule::of(experiments), ExperimentsInMemory(experiments), context, options, keep);
}

void run_experiments(Schedule schedule, const ExperimentShelf& shelf, const ExperimentContext& context,
                     const SuiteRunOptions& options, const ResultSink& keep) {
  // Experiments are named by their position on the shelf below.
  assert(schedule.priority.size() == shelf.size());
  WaitingQueue waiting(schedule.priority);
  std::vector<std::size_t>().swap(schedule.priority);  // copied into the queue
  TargetOccupancy& occupancy = schedule.occupancy;
  // Finished workers are joined as they finish: a thread kept until the end
  // would hold its stack, and memory would grow with the suite.
  std::map<std::size_t, std::thread> workers;
  std::vector<std::size_t> finished;
  std::mutex mutex;
  std::condition_variable changed;
  const int parallel = std::max(1, options.parallel);

  std::unique_lock lock(mutex);
  while (!waiting.empty() || occupancy.running() > 0) {
    // Nothing new starts after a signal or past the deadline.
    const bool interrupted = context.interruption.interrupted();
    const bool past_deadline = options.deadline && std::chrono::steady_clock::now() >= *options.deadline;
    if (interrupted || past_deadline) {
      for (const std::size_t position : waiting.take_all())
        keep(position, skipped(shelf, position, context,
                               interrupted ? "not started: the gate was interrupted" : "not started: --deadline reached"));
    }
    waiting.offer_each([&](std::size_t candidate) {
      if (static_cast<int>(occupancy.running()) >= parallel || occupancy.all_blocked()) return WaitingQueue::Offer::stop;
      if (!occupancy.is_free_for(candidate)) return WaitingQueue::Offer::not_now;
      occupancy.occupy(candidate);
      workers[candidate] = std::thread([&, candidate] {
        ExperimentResult result = run_one(shelf, candidate, context, options);
        if (options.on_finish) options.on_finish(result);
        keep(candidate, std::move(result));
        std::lock_guard done(mutex);
        occupancy.release(candidate);
        finished.push_back(candidate);
        changed.notify_all();
      });
      return WaitingQueue::Offer::started;
    });
    for (const std::size_t done : finished) {
      workers[done].join();  // returns at once: the worker is past its last statement but one
      workers.erase(done);
    }
    finished.clear();
    if (waiting.empty() && occupancy.running() == 0) break;
    // Wake on a finished experiment, and now and then for signals and the deadline.
    changed.wait_for(lock, std::chrono::milliseconds(100));
  }
  lock.unlock();
  for (auto& [position, worker] : workers) worker.join();
}

}  // namespace chaosgate
