#include "engine/drill_rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "util/errors.h"
#include "support/selection_of_suite.h"

namespace chaosgate {
namespace {

using ::testing::HasSubstr;

Experiment experiment(const std::string& id, bool stop_condition) {
  Experiment e;
  e.id = id;
  e.location = {"suite.yaml", 12, 5};
  if (stop_condition) e.stop_conditions.push_back(Probe{});
  return e;
}

std::string refusal(const Suite& suite, const Environment& environment, const std::vector<const Experiment*>& experiments,
                    const DrillConsent& consent) {
  std::vector<ExperimentOutline> outlines;
  for (const Experiment* experiment : experiments) outlines.push_back(outline_of(*experiment, 0, test::outline_names()));
  try {
    guard_drill(suite, environment, pointers_to(outlines), consent);
    return "";
  } catch (const UserError& e) {
    return e.what();
  }
}

TEST(DrillRules, EveryExperimentNeedsAStopConditionUnlessTheSuiteHasOne) {
  Suite suite;
  const Experiment guarded = experiment("guarded", true), bare = experiment("bare", false);
  const Environment staging{"staging", false, {}, {}};
  EXPECT_THAT(refusal(suite, staging, {&guarded, &bare}, {}), HasSubstr("none declared for: suite.yaml:12:5: bare;"));
  EXPECT_EQ(refusal(suite, staging, {&guarded}, {}), "");
  suite.stop_conditions.push_back(Probe{});
  EXPECT_EQ(refusal(suite, staging, {&guarded, &bare}, {}), "") << "the suite's stop conditions guard every experiment";
}

TEST(DrillRules, ProductionNeedsConsentAndTheTypedName) {
  const Suite suite;
  const Experiment guarded = experiment("guarded", true);
  const Environment live{"live", true, {}, {}};
  EXPECT_THAT(refusal(suite, live, {&guarded}, {false, "live"}), HasSubstr("needs --allow-production and --confirm live"));
  EXPECT_THAT(refusal(suite, live, {&guarded}, {true, ""}), HasSubstr("--confirm must repeat its name (missing)"));
  EXPECT_THAT(refusal(suite, live, {&guarded}, {true, "Live"}), HasSubstr("(got \"Live\")"));
  EXPECT_EQ(refusal(suite, live, {&guarded}, {true, "live"}), "");
}

}  // namespace
}  // namespace chaosgate
