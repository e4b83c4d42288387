#include "model/experiment_outline.h"

#include <gtest/gtest.h>

namespace chaosgate {

// The outline is what selection, plan, guards and coverage decide with: each
// field must be the experiment's, and the estimate the experiment's own.
TEST(ExperimentOutline, CarriesWhatTheDecisionsReadOfTheExperiment) {
  Experiment e;
  e.id = "cart-survives-redis-pause";
  e.owner = "checkout";
  e.service = "cart";
  e.incident_category = "dependency-outage";
  e.targets = {"redis", "cart"};
  e.tags = {"slow"};
  e.attack_group = AttackGroup::dependency;
  e.status = LifecycleStatus::candidate;
  e.always = true;
  e.allow_production = true;
  e.location = {"suite.yaml", 40, 3};
  Action pause;
  pause.kind = ActionKind::pause;
  pause.pause = Millis(1500);
  e.method.push_back(pause);
  const ExperimentOutline outline = outline_of(e, 7);
  EXPECT_EQ(outline.index, 7u);
  EXPECT_EQ(outline.id, e.id);
  EXPECT_EQ(outline.owner, "checkout");
  EXPECT_EQ(outline.service, "cart");
  EXPECT_EQ(outline.incident_category, "dependency-outage");
  EXPECT_EQ(outline.targets, e.targets);
  EXPECT_EQ(outline.tags, e.tags);
  EXPECT_EQ(outline.attack_group, AttackGroup::dependency);
  EXPECT_EQ(outline.status, LifecycleStatus::candidate);
  EXPECT_TRUE(outline.always);
  EXPECT_TRUE(outline.allow_production);
  EXPECT_FALSE(outline.has_stop_conditions);
  EXPECT_EQ(outline.estimated_duration, e.estimated_duration());
  EXPECT_GE(outline.estimated_duration, Millis(1500));
  EXPECT_EQ(outline.location.to_string(), "suite.yaml:40:3");

  e.stop_conditions.push_back(Probe{});
  EXPECT_TRUE(outline_of(e, 0).has_stop_conditions);
}

TEST(ExperimentOutline, OutlinesAreNumberedInSuiteOrder) {
  std::vector<Experiment> experiments(3);
  experiments[0].id = "a";
  experiments[1].id = "b";
  experiments[2].id = "c";
  const auto outlines = outlines_of(experiments);
  const auto pointers = pointers_to(outlines);
  ASSERT_EQ(pointers.size(), 3u);
  for (std::uint32_t i = 0; i < 3; ++i) {
    EXPECT_EQ(pointers[i], &outlines[i]);
    EXPECT_EQ(pointers[i]->index, i);
    EXPECT_EQ(pointers[i]->id, experiments[i].id);
  }
}

}  // namespace chaosgate
