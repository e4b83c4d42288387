#include "plan/target_occupancy.h"

#include <gtest/gtest.h>

#include <random>

#include "plan/planner.h"
#include "support/selection_of_suite.h"

namespace chaosgate {

namespace {
ExperimentOutline with_targets(const std::vector<std::string>& targets) {
  ExperimentOutline e;
  e.targets = test::outline_names().list(targets);
  return e;
}
}  // namespace

TEST(TargetOccupancy, SharedTargetsBlockDisjointOnesDoNot) {
  const auto a = with_targets({"redis", "db"}), b = with_targets({"db"}), c = with_targets({"nginx"});
  TargetOccupancy occupancy({&a, &b, &c});
  EXPECT_EQ(occupancy.target_count(), 3u);
  occupancy.occupy(0);
  EXPECT_FALSE(occupancy.is_free_for(1));
  EXPECT_TRUE(occupancy.is_free_for(2));
  EXPECT_FALSE(occupancy.all_blocked());
  occupancy.occupy(2);
  EXPECT_TRUE(occupancy.all_blocked());
  occupancy.release(0);
  EXPECT_TRUE(occupancy.is_free_for(1));
  EXPECT_EQ(occupancy.running(), 1u);
}

TEST(TargetOccupancy, WithoutTargetsRunsAlone) {
  const auto alone = with_targets({}), other = with_targets({"x"});
  TargetOccupancy occupancy({&alone, &other});
  occupancy.occupy(1);
  EXPECT_FALSE(occupancy.is_free_for(0));
  occupancy.release(1);
  EXPECT_TRUE(occupancy.is_free_for(0));
  occupancy.occupy(0);
  EXPECT_TRUE(occupancy.all_blocked());
  EXPECT_FALSE(occupancy.is_free_for(1));
}

TEST(TargetOccupancy, ATargetNamedTwiceIsHeldOnce) {
  const auto twice = with_targets({"x", "x"});
  TargetOccupancy occupancy({&twice});
  EXPECT_EQ(occupancy.targets_of(0).size(), 1u);
  occupancy.occupy(0);
  occupancy.release(0);
  EXPECT_TRUE(occupancy.is_free_for(0));
}

TEST(TargetOccupancy, NumberedConflictIsTheNamedRule) {
  std::mt19937 random(7);
  std::vector<ExperimentOutline> experiments;
  for (int i = 0; i < 200; ++i) {
    std::vector<std::string> targets;
    const int count = static_cast<int>(random() % 4);  // 0: without targets
    for (int k = 0; k < count; ++k) targets.push_back("t" + std::to_string(random() % 6));
    experiments.push_back(with_targets(targets));
  }
  std::vector<const ExperimentOutline*> pointers;
  for (const auto& e : experiments) pointers.push_back(&e);
  // With i running, j may start beside it exactly when the named rule says the two do not conflict.
  TargetOccupancy occupancy(pointers);
  for (std::size_t i = 0; i < pointers.size(); ++i) {
    occupancy.occupy(i);
    for (std::size_t j = 0; j < pointers.size(); ++j)
      ASSERT_EQ(!occupancy.is_free_for(j), experiments_conflict(experiments[i], experiments[j])) << i << " " << j;
    occupancy.release(i);
  }
}

}  // namespace chaosgate
