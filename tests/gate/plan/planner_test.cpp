#include "plan/planner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "support/selection_of_suite.h"

namespace chaosgate {

namespace {
// An outline is what the planner reads; made from an experiment, as `run` makes it.
ExperimentOutline make(const std::string& id, std::vector<std::string> targets, Millis pause) {
  Experiment e;
  e.id = id;
  e.targets = std::move(targets);
  Action wait;
  wait.kind = ActionKind::pause;
  wait.pause = pause;
  e.method.push_back(wait);
  return outline_of(e, 0, test::outline_names());
}

const PlannedExperiment& entry(const Plan& plan, const std::string& id) {
  for (const auto& e : plan.entries)
    if (e.experiment->id == id) return e;
  throw std::runtime_error("no entry " + id);
}

std::vector<std::string> waits_for(const Plan& plan, const std::string& id) {
  for (std::size_t i = 0; i < plan.entries.size(); ++i)
    if (plan.entries[i].experiment->id == id) return plan.waits_for(i);
  throw std::runtime_error("no entry " + id);
}
}  // namespace

TEST(Planner, DisjointTargetsRunTogetherSharedTargetsWait) {
  const auto a = make("a", {"redis"}, Millis(2000));
  const auto b = make("b", {"nginx"}, Millis(2000));
  const auto c = make("c", {"redis", "db"}, Millis(1000));
  const Plan plan = make_plan({&a, &b, &c}, 8);
  EXPECT_EQ(entry(plan, "a").start, Millis(0));
  EXPECT_EQ(entry(plan, "b").start, Millis(0));
  EXPECT_EQ(entry(plan, "c").start, Millis(2000));
  EXPECT_EQ(waits_for(plan, "c"), (std::vector<std::string>{"a"}));
  EXPECT_EQ(plan.estimated_wall, Millis(3000));
  EXPECT_EQ(plan.critical_path, Millis(3000));
  EXPECT_EQ(plan.busiest_target, "redis");
  EXPECT_EQ(plan.sequential_sum, Millis(5000));
}

TEST(Planner, ParallelCapIsRespected) {
  const auto a = make("a", {"1"}, Millis(1000)), b = make("b", {"2"}, Millis(1000)), c = make("c", {"3"}, Millis(1000));
  const Plan plan = make_plan({&a, &b, &c}, 2);
  EXPECT_EQ(plan.estimated_wall, Millis(2000));
  EXPECT_EQ(make_plan({&a, &b, &c}, 1).estimated_wall, Millis(3000));
}

TEST(Planner, NoTargetsMeansRunAlone) {
  const auto alone = make("alone", {}, Millis(1000));
  const auto other = make("other", {"x"}, Millis(1000));
  EXPECT_TRUE(experiments_conflict(alone, other));
  const Plan plan = make_plan({&other, &alone}, 8);
  EXPECT_EQ(plan.estimated_wall, Millis(2000));
  EXPECT_EQ(plan.entries.front().experiment->id, "alone");  // unknown blast radius goes first
}

TEST(Planner, BusiestTargetFirstApproachesTheCriticalPath) {
  // 12 targets, 4 experiments each, plus one long chain: the busiest target
  // must start at once or the run overshoots its critical path.
  std::vector<ExperimentOutline> experiments;
  for (int t = 0; t < 12; ++t)
    for (int k = 0; k < 4; ++k) experiments.push_back(make("e" + std::to_string(t) + "-" + std::to_string(k), {"t" + std::to_string(t)}, Millis(1000)));
  experiments.push_back(make("long-1", {"t11", "busy"}, Millis(3000)));
  experiments.push_back(make("long-2", {"busy"}, Millis(3000)));
  std::vector<const ExperimentOutline*> pointers;
  for (const auto& e : experiments) pointers.push_back(&e);
  const Plan plan = make_plan(pointers, 16);
  EXPECT_EQ(plan.critical_path, Millis(7000));
  EXPECT_EQ(plan.estimated_wall, plan.critical_path);
}

namespace {
// The plan as it was made before targets were numbered: every waiting
// experiment compared with every running one, and every new entry with every
// earlier one. Slow (2 s at 10,000 experiments) but plainly right: the oracle.
struct ReferenceEntry {
  const ExperimentOutline* experiment;
  Millis start, end;
  std::vector<std::string> waits_for;
};

std::vector<ReferenceEntry> reference_plan(const std::vector<const ExperimentOutline*>& experiments, int parallel, Millis& wall) {
  std::vector<const ExperimentOutline*> waiting;
  for (const auto position : priority_order(experiments)) waiting.push_back(experiments[position]);
  std::vector<ReferenceEntry> entries, running;
  Millis now{0};
  while (!waiting.empty() || !running.empty()) {
    for (auto it = waiting.begin(); it != waiting.end() && static_cast<int>(running.size()) < parallel;) {
      const ExperimentOutline* candidate = *it;
      if (std::any_of(running.begin(), running.end(), [&](const ReferenceEntry& r) { return experiments_conflict(*r.experiment, *candidate); })) {
        ++it;
        continue;
      }
      ReferenceEntry entry{candidate, now, now + candidate->estimated_duration, {}};
      for (auto earlier = entries.rbegin(); earlier != entries.rend(); ++earlier) {
        if (!experiments_conflict(*earlier->experiment, *candidate)) continue;
        const bool shadowed = std::any_of(entries.rbegin(), earlier, [&](const ReferenceEntry& later) {
          return experiments_conflict(*later.experiment, *candidate) && experiments_conflict(*later.experiment, *earlier->experiment);
        });
        if (!shadowed) entry.waits_for.emplace_back(earlier->experiment->id);
      }
      running.push_back(entry);
      entries.push_back(entry);
      it = waiting.erase(it);
    }
    if (running.empty()) break;
    now = std::min_element(running.begin(), running.end(), [](const auto& a, const auto& b) { return a.end < b.end; })->end;
    std::erase_if(running, [&](const ReferenceEntry& r) { return r.end <= now; });
  }
  wall = now;
  return entries;
}

std::vector<ExperimentOutline> random_suite(std::mt19937& random, int size, int max_targets) {
  std::vector<ExperimentOutline> experiments;
  for (int i = 0; i < size; ++i) {
    std::vector<std::string> targets;
    const int count = static_cast<int>(random() % (max_targets + 1));
    for (int k = 0; k < count; ++k) targets.push_back("t" + std::to_string(random() % 9));
    if (targets.empty() && random() % 4 != 0) targets.push_back("t0");  // without targets: now and then
    experiments.push_back(make("e" + std::to_string(i), targets, Millis(100 * (1 + random() % 20))));
  }
  return experiments;
}
}  // namespace

TEST(Planner, SameScheduleAsComparingEveryPair) {
  std::mt19937 random(11);
  for (int round = 0; round < 200; ++round) {
    const int max_targets = round % 3 == 0 ? 1 : 2 + round % 4;  // one target each, or several
    const auto experiments = random_suite(random, 1 + static_cast<int>(random() % 80), max_targets);
    std::vector<const ExperimentOutline*> pointers;
    for (const auto& e : experiments) pointers.push_back(&e);
    const int parallel = 1 + static_cast<int>(random() % 8);
    Millis wall{0};
    const auto expected = reference_plan(pointers, parallel, wall);
    const Plan plan = make_plan(pointers, parallel);
    ASSERT_EQ(plan.estimated_wall, wall) << "round " << round;
    ASSERT_EQ(plan.entries.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      const auto& got = plan.entries[i];
      ASSERT_EQ(got.experiment, expected[i].experiment) << "round " << round << " entry " << i;
      ASSERT_EQ(got.start, expected[i].start);
      ASSERT_EQ(got.end, expected[i].end);
      ASSERT_EQ(plan.waits_for(i), expected[i].waits_for) << "round " << round << " entry " << i;
    }
  }
}

TEST(Planner, TheStartOrderAloneIsThePlansOrderAndWallTime) {
  std::mt19937 random(13);
  for (int round = 0; round < 100; ++round) {
    const auto experiments = random_suite(random, 1 + static_cast<int>(random() % 80), 1 + round % 4);
    std::vector<const ExperimentOutline*> pointers;
    for (const auto& e : experiments) pointers.push_back(&e);
    const int parallel = 1 + static_cast<int>(random() % 8);
    const Plan plan = make_plan(pointers, parallel);
    const StartOrder start = plan_start_order(pointers, parallel);
    ASSERT_EQ(start.estimated_wall, plan.estimated_wall) << "round " << round;
    ASSERT_EQ(start.positions.size(), plan.entries.size()) << "round " << round;
    for (std::size_t i = 0; i < start.positions.size(); ++i)
      ASSERT_EQ(pointers[start.positions[i]], plan.entries[i].experiment) << "round " << round << " entry " << i;
  }
}

TEST(Planner, WaitsForTheLatestOnEachSharedTarget) {
  const auto a = make("a", {"x"}, Millis(1000)), b = make("b", {"y"}, Millis(1000));
  const auto c = make("c", {"x", "y"}, Millis(1000)), d = make("d", {"x"}, Millis(1000));
  const Plan plan = make_plan({&a, &b, &c, &d}, 8);
  EXPECT_EQ(waits_for(plan, "c"), (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(waits_for(plan, "d"), (std::vector<std::string>{"c"}));
}

}  // namespace chaosgate
