#include "engine/suite_runner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "engine/experiment_info.h"
#include "plan/planner.h"
#include "support/fake_drivers.h"
#include "support/selection_of_suite.h"

namespace chaosgate {

namespace {
Experiment paused(const std::string& id, std::vector<std::string> targets, Millis duration) {
  Experiment e;
  e.id = id;
  e.targets = std::move(targets);
  e.steady_state.push_back(Probe{});
  e.steady_state.back().name = "ok";
  Action wait;
  wait.name = "hold";
  wait.kind = ActionKind::pause;
  wait.pause = duration;
  e.method.push_back(wait);
  return e;
}

bool overlap(const ExperimentResult& a, const ExperimentResult& b) {
  return a.started < b.started + b.duration && b.started < a.started + a.duration;
}

struct Harness {
  Suite suite;
  test::FakeProbeDriver probes;
  test::FakeActionDriver actions;
  Interruption interruption;
};
// Every result, in the order given. Each position is written by one thread
// only; run_experiments joins them all before it returns.
std::vector<ExperimentResult> run_all(const std::vector<const Experiment*>& experiments, const ExperimentContext& context,
                                      const SuiteRunOptions& options) {
  std::vector<ExperimentResult> results(experiments.size());
  run_experiments(experiments, context, options,
                  [&](std::size_t position, ExperimentResult&& result) { results[position] = std::move(result); });
  return results;
}

// A shelf that reads every experiment back as a copy, and cannot read those
// whose ids are in `unreadable`.
class CopyingShelf final : public ExperimentShelf {
public:
  CopyingShelf(std::vector<const Experiment*> experiments, std::set<std::string> unreadable)
      : m_experiments(std::move(experiments)), m_unreadable(std::move(unreadable)) {}
  std::size_t size() const override { return m_experiments.size(); }
  const Experiment& get(std::size_t position, std::optional<Experiment>& held) const override {
    if (m_unreadable.contains(m_experiments[position]->id)) throw std::runtime_error("the disk is gone");
    return held.emplace(*m_experiments[position]);
  }

private:
  std::vector<const Experiment*> m_experiments;
  std::set<std::string> m_unreadable;
};

}  // namespace

TEST(SuiteRunner, AnExperimentTheShelfCannotGiveBackEndsAsAnErrorAndNothingOfItRuns) {
  Harness h;
  auto a = paused("a", {"1"}, Millis(10)), b = paused("b", {"2"}, Millis(10)), c = paused("c", {"3"}, Millis(10));
  b.method.front().name = "hold-b";
  const ExperimentContext context{h.suite, h.probes, h.actions, h.interruption};
  const std::vector<const Experiment*> order{&a, &b, &c};
  std::vector<ExperimentResult> results(order.size());
  std::vector<std::string> started;
  std::mutex mutex;
  SuiteRunOptions options;
  options.on_start = [&](const Experiment& e) {
    std::lock_guard lock(mutex);
    started.push_back(e.id);
  };
  run_experiments(Schedule::of(order), CopyingShelf(order, {"b"}), context, options,
                  [&](std::size_t position, ExperimentResult&& result) { results[position] = std::move(result); });
  EXPECT_EQ(results[0].verdict, Verdict::passed);
  EXPECT_EQ(results[2].verdict, Verdict::passed);
  EXPECT_EQ(results[1].verdict, Verdict::error);
  EXPECT_EQ(results[1].experiment.id, "experiment 2 of the run's order");
  EXPECT_EQ(results[1].reason, "not run: it could not be read back: the disk is gone");
  std::sort(started.begin(), started.end());
  EXPECT_EQ(started, (std::vector<std::string>{"a", "c"}));
  for (const auto& action : h.actions.performed()) EXPECT_NE(action, "hold-b");
}

TEST(SuiteRunner, ASkippedExperimentIsReadBackForItsReportOrEndsAsAnErrorWhenItCannotBe) {
  Harness h;
  const auto a = paused("a", {"x"}, Millis(300)), b = paused("b", {"x"}, Millis(300)), c = paused("c", {"x"}, Millis(300));
  const ExperimentContext context{h.suite, h.probes, h.actions, h.interruption};
  const std::vector<const Experiment*> order{&a, &b, &c};
  std::vector<ExperimentResult> results(order.size());
  SuiteRunOptions options;
  options.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
  run_experiments(Schedule::of(order), CopyingShelf(order, {"c"}), context, options,
                  [&](std::size_t position, ExperimentResult&& result) { results[position] = std::move(result); });
  EXPECT_EQ(results[0].verdict, Verdict::passed);
  EXPECT_EQ(results[1].verdict, Verdict::skipped);
  EXPECT_EQ(results[1].experiment.id, "b");
  EXPECT_EQ(results[1].experiment.definition_digest, make_experiment_info(h.suite, b).definition_digest);
  EXPECT_EQ(results[2].verdict, Verdict::error);
  EXPECT_EQ(results[2].experiment.id, "experiment 3 of the run's order");
}

TEST(SuiteRunner, DisjointTargetsOverlapSharedTargetsDoNot) {
  Harness h;
  const auto a = paused("a", {"redis"}, Millis(200)), b = paused("b", {"nginx"}, Millis(200)),
             c = paused("c", {"redis"}, Millis(200));
  const ExperimentContext context{h.suite, h.probes, h.actions, h.interruption};
  const auto results = run_all({&a, &b, &c}, context, {});
  ASSERT_EQ(results.size(), 3u);
  for (const auto& r : results) EXPECT_EQ(r.verdict, Verdict::passed) << r.experiment.id << ": " << r.reason;
  EXPECT_TRUE(overlap(results[0], results[1])) << "disjoint targets run together";
  EXPECT_FALSE(overlap(results[0], results[2])) << "a shared target never overlaps";
}

TEST(SuiteRunner, ParallelCapOfOneRunsOneAtATime) {
  Harness h;
  const auto a = paused("a", {"1"}, Millis(50)), b = paused("b", {"2"}, Millis(50));
  const ExperimentContext context{h.suite, h.probes, h.actions, h.interruption};
  SuiteRunOptions options;
  options.parallel = 1;
  const auto results = run_all({&a, &b}, context, options);
  EXPECT_FALSE(overlap(results[0], results[1]));
}

TEST(SuiteRunner, DeadlineSkipsWhatDidNotStart) {
  Harness h;
  const auto a = paused("a", {"x"}, Millis(300)), b = paused("b", {"x"}, Millis(300));
  const ExperimentContext context{h.suite, h.probes, h.actions, h.interruption};
  SuiteRunOptions options;
  options.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
  const auto results = run_all({&a, &b}, context, options);
  EXPECT_EQ(results[0].verdict, Verdict::passed);
  EXPECT_EQ(results[1].verdict, Verdict::skipped);
  EXPECT_EQ(results[1].reason, "not started: --deadline reached");
}

TEST(SuiteRunner, InterruptionSkipsTheRestAndWaitsForRunningRollbacks) {
  Harness h;
  auto a = paused("a", {"x"}, Millis(5000));
  Action undo;
  undo.name = "undo-a";
  undo.kind = ActionKind::command;
  Action stall;
  stall.name = "stall-a";
  stall.kind = ActionKind::command;
  stall.fault = true;
  stall.rollback = {undo};
  a.method.insert(a.method.begin(), stall);
  const auto b = paused("b", {"x"}, Millis(100));
  const ExperimentContext context{h.suite, h.probes, h.actions, h.interruption};
  std::thread signaller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    h.interruption.trigger(SIGINT);
  });
  const auto results = run_all({&a, &b}, context, {});
  signaller.join();
  EXPECT_EQ(results[0].verdict, Verdict::aborted);
  EXPECT_EQ(results[1].verdict, Verdict::skipped);
  EXPECT_EQ(h.actions.performed(), (std::vector<std::string>{"stall-a", "undo-a"}));
}

TEST(SuiteRunner, ManyExperimentsNeverShareATargetAtOnceAndEachRunsOnce) {
  // Random blast radii (some without targets), watched live from the start
  // and finish callbacks: what runs together never conflicts, the cap holds,
  // and every result comes back in the order given.
  Harness h;
  std::mt19937 random(5);
  std::vector<Experiment> experiments;
  for (int i = 0; i < 120; ++i) {
    std::vector<std::string> targets;
    const int count = static_cast<int>(random() % 4);
    for (int k = 0; k < count; ++k) targets.push_back("t" + std::to_string(random() % 6));
    if (targets.empty() && random() % 3 != 0) targets.push_back("t0");
    experiments.push_back(paused("e" + std::to_string(i), targets, Millis(random() % 4)));
  }
  std::vector<const Experiment*> order;
  for (const auto& e : experiments) order.push_back(&e);

  std::mutex mutex;
  std::set<const Experiment*> running;
  std::vector<std::string> problems;
  std::size_t most_at_once = 0;
  std::map<std::string, int> starts;
  SuiteRunOptions options;
  options.parallel = 4;
  options.on_start = [&](const Experiment& e) {
    std::lock_guard lock(mutex);
    for (const Experiment* other : running)
      if (experiments_conflict(outline_of(*other, 0, test::outline_names()), outline_of(e, 0, test::outline_names()))) problems.push_back(e.id + " started beside " + other->id);
    running.insert(&e);
    most_at_once = std::max(most_at_once, running.size());
    ++starts[e.id];
  };
  options.on_finish = [&](const ExperimentResult& r) {
    std::lock_guard lock(mutex);
    std::erase_if(running, [&](const Experiment* e) { return e->id == r.experiment.id; });
  };
  const ExperimentContext context{h.suite, h.probes, h.actions, h.interruption};
  const auto results = run_all(order, context, options);

  EXPECT_EQ(problems, std::vector<std::string>{});
  EXPECT_LE(most_at_once, 4u);
  EXPECT_GT(most_at_once, 1u) << "disjoint experiments should have run together";
  ASSERT_EQ(results.size(), experiments.size());
  for (std::size_t i = 0; i < results.size(); ++i) {
    EXPECT_EQ(results[i].experiment.id, experiments[i].id);
    EXPECT_EQ(results[i].verdict, Verdict::passed) << results[i].reason;
    EXPECT_EQ(starts[experiments[i].id], 1) << experiments[i].id;
  }
}

}  // namespace chaosgate
