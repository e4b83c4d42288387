#include "plan/planner.h"

#include <gtest/gtest.h>

namespace chaosgate {

namespace {
Experiment make(const std::string& id, std::vector<std::string> targets, Millis pause) {
  Experiment e;
  e.id = id;
  e.targets = std::move(targets);
  Action wait;
  wait.kind = ActionKind::pause;
  wait.pause = pause;
  e.method.push_back(wait);
  return e;
}

const PlannedExperiment& entry(const Plan& plan, const std::string& id) {
  for (const auto& e : plan.entries)
    if (e.experiment->id == id) return e;
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
  EXPECT_EQ(entry(plan, "c").waits_for, (std::vector<std::string>{"a"}));
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
  std::vector<Experiment> experiments;
  for (int t = 0; t < 12; ++t)
    for (int k = 0; k < 4; ++k) experiments.push_back(make("e" + std::to_string(t) + "-" + std::to_string(k), {"t" + std::to_string(t)}, Millis(1000)));
  experiments.push_back(make("long-1", {"t11", "busy"}, Millis(3000)));
  experiments.push_back(make("long-2", {"busy"}, Millis(3000)));
  std::vector<const Experiment*> pointers;
  for (const auto& e : experiments) pointers.push_back(&e);
  const Plan plan = make_plan(pointers, 16);
  EXPECT_EQ(plan.critical_path, Millis(7000));
  EXPECT_EQ(plan.estimated_wall, plan.critical_path);
}

}  // namespace chaosgate
