#include "engine/suite_runner.h"

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "engine/experiment_info.h"
#include "plan/planner.h"

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

std::vector<ExperimentResult> run_experiments(const std::vector<const Experiment*>& experiments,
                                              const ExperimentContext& context, const SuiteRunOptions& options) {
  std::map<const Experiment*, std::size_t> index;
  for (std::size_t i = 0; i < experiments.size(); ++i) index[experiments[i]] = i;
  std::vector<ExperimentResult> results(experiments.size());

  std::vector<const Experiment*> waiting = priority_order(experiments);
  std::vector<const Experiment*> running;
  // Finished workers are joined as they finish: a thread kept until the end
  // would hold its stack, and memory would grow with the suite.
  std::map<const Experiment*, std::thread> workers;
  std::vector<const Experiment*> finished;
  std::mutex mutex;
  std::condition_variable changed;
  const int parallel = std::max(1, options.parallel);

  std::unique_lock lock(mutex);
  while (!waiting.empty() || !running.empty()) {
    // Nothing new starts after a signal or past the deadline.
    const bool interrupted = context.interruption.interrupted();
    const bool past_deadline = options.deadline && std::chrono::steady_clock::now() >= *options.deadline;
    if (interrupted || past_deadline) {
      for (const Experiment* experiment : waiting)
        results[index[experiment]] = skipped(context.suite, *experiment,
                                             interrupted ? "not started: the gate was interrupted" : "not started: --deadline reached");
      waiting.clear();
    }
    for (auto it = waiting.begin(); it != waiting.end() && static_cast<int>(running.size()) < parallel;) {
      const Experiment* candidate = *it;
      const bool blocked = std::any_of(running.begin(), running.end(),
                                       [&](const Experiment* other) { return experiments_conflict(*other, *candidate); });
      if (blocked) {
        ++it;
        continue;
      }
      running.push_back(candidate);
      it = waiting.erase(it);
      workers[candidate] = std::thread([&, candidate] {
        if (options.on_start) options.on_start(*candidate);
        ExperimentResult result = run_experiment(*candidate, context);
        if (options.on_finish) options.on_finish(result);
        std::lock_guard done(mutex);
        results[index[candidate]] = std::move(result);
        running.erase(std::find(running.begin(), running.end(), candidate));
        finished.push_back(candidate);
        changed.notify_all();
      });
    }
    for (const Experiment* done : finished) {
      workers[done].join();  // returns at once: the worker is past its last statement but one
      workers.erase(done);
    }
    finished.clear();
    if (waiting.empty() && running.empty()) break;
    // Wake on a finished experiment, and now and then for signals and the deadline.
    changed.wait_for(lock, std::chrono::milliseconds(100));
  }
  lock.unlock();
  for (auto& [experiment, worker] : workers) worker.join();
  return results;
}

}  // namespace chaosgate
