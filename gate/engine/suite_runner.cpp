#include "engine/suite_runner.h"

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "engine/experiment_info.h"
#include "plan/planner.h"
#include "plan/target_occupancy.h"
#include "plan/waiting_queue.h"

namespace chaosgate {

namespace {
ExperimentResult skipped(const Suite& suite, const Experiment& experiment, std::string reason) {
  ExperimentResult result;
  result.experiment = make_experiment_info(suite, experiment);
  result.verdict = Verdict::skipped;
  result.reason = std::move(reason);
  result.started = Clock::now();
  return result;
}
}  // namespace

void run_experiments(const std::vector<const Experiment*>& experiments, const ExperimentContext& context,
                     const SuiteRunOptions& options, const ResultSink& keep) {
  // Experiments are named by their position in `experiments` below.
  WaitingQueue waiting(priority_order(experiments));
  TargetOccupancy occupancy(experiments);
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
        keep(position, skipped(context.suite, *experiments[position],
                                 interrupted ? "not started: the gate was interrupted" : "not started: --deadline reached"));
    }
    waiting.offer_each([&](std::size_t candidate) {
      if (static_cast<int>(occupancy.running()) >= parallel || occupancy.all_blocked()) return WaitingQueue::Offer::stop;
      if (!occupancy.is_free_for(candidate)) return WaitingQueue::Offer::not_now;
      occupancy.occupy(candidate);
      workers[candidate] = std::thread([&, candidate] {
        const Experiment& experiment = *experiments[candidate];
        if (options.on_start) options.on_start(experiment);
        ExperimentResult result = run_experiment(experiment, context);
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
