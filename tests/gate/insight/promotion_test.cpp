#include "insight/promotion.h"

#include <gtest/gtest.h>

#include "engine/experiment_info.h"

namespace chaosgate::insight {

namespace {

Experiment experiment(const std::string& id, LifecycleStatus status) {
  Experiment e;
  e.id = id;
  e.status = status;
  const FieldPlace written_status[] = {{LocatedField::status, 10, 13}};
  e.field_locations.assign("suite.yaml", written_status);
  Action pause;
  pause.name = "hold";
  pause.kind = ActionKind::pause;
  pause.pause = Millis{100};
  e.method = {pause};
  return e;
}

Suite suite() {
  Suite s;
  s.name = "shop";
  s.experiments = {experiment("fresh", LifecycleStatus::candidate), experiment("green", LifecycleStatus::promoted),
                   experiment("draft", LifecycleStatus::draft)};
  return s;
}

// One journal: experiment id -> verdict, with the suite's current definitions
// unless `digest` says otherwise.
JournalRun journal(const Suite& s, int n, std::map<std::string, Verdict> verdicts, const std::string& digest = "") {
  JournalRun j{"run-" + std::to_string(n) + "/journal.json", {}};
  j.run.suite_name = "shop";
  j.run.gate = "passed";
  for (const auto& [id, verdict] : verdicts) {
    ExperimentResult result;
    result.experiment.id = id;
    for (const auto& e : s.experiments)
      if (e.id == id) result.experiment.definition_digest = digest.empty() ? definition_digest(e) : digest;
    result.verdict = verdict;
    j.run.experiments.push_back(result);
  }
  return j;
}

}  // namespace

TEST(Promotion, ThreePassesInARowPromoteTwoDoNot) {
  const Suite s = suite();
  std::vector<JournalRun> runs = {journal(s, 1, {{"fresh", Verdict::failed}}), journal(s, 2, {{"fresh", Verdict::passed}}),
                                  journal(s, 3, {{"fresh", Verdict::passed}})};
  auto plan = plan_promotion(s, runs, {});
  ASSERT_TRUE(plan.changes.empty());
  ASSERT_EQ(plan.unchanged.size(), 1u);
  EXPECT_EQ(plan.unchanged[0].reason, "2 of 3 consecutive passes (failed in run-1/journal.json)");

  runs.push_back(journal(s, 4, {{"fresh", Verdict::passed}}));
  plan = plan_promotion(s, runs, {});
  ASSERT_EQ(plan.changes.size(), 1u);
  EXPECT_EQ(plan.changes[0].experiment, "fresh");
  EXPECT_EQ(plan.changes[0].to, LifecycleStatus::promoted);
  EXPECT_EQ(plan.changes[0].at.line, 10);
  EXPECT_EQ(plan.changes[0].reason, "passed in the last 3 runs (run-2/journal.json, run-3/journal.json, run-4/journal.json)");
}

TEST(Promotion, FlakyAbsentOrChangedRunsBreakTheStreak) {
  const Suite s = suite();
  const auto reason_with = [&](JournalRun middle) {
    const auto plan = plan_promotion(
        s, {journal(s, 1, {{"fresh", Verdict::passed}}), middle, journal(s, 3, {{"fresh", Verdict::passed}})}, {2, 2});
    return plan.unchanged.empty() ? std::string("promoted") : plan.unchanged[0].reason;
  };
  EXPECT_EQ(reason_with(journal(s, 2, {{"fresh", Verdict::flaky}})), "1 of 2 consecutive passes (flaky in run-2/journal.json)");
  EXPECT_EQ(reason_with(journal(s, 2, {})), "1 of 2 consecutive passes (not run in run-2/journal.json)");
  EXPECT_EQ(reason_with(journal(s, 2, {{"fresh", Verdict::passed}}, "old-digest")),
            "1 of 2 consecutive passes (definition changed since run-2/journal.json)");
  EXPECT_EQ(reason_with(journal(s, 2, {{"fresh", Verdict::passed}})), "promoted");
}

TEST(Promotion, RepeatedRegressionsDemoteAPromotedExperiment) {
  const Suite s = suite();
  auto plan = plan_promotion(s, {journal(s, 1, {{"green", Verdict::failed}}), journal(s, 2, {{"green", Verdict::passed}}),
                                 journal(s, 3, {{"green", Verdict::failed}})}, {});
  EXPECT_TRUE(plan.changes.empty()) << "one regression after a pass does not demote";
  plan = plan_promotion(s, {journal(s, 1, {{"green", Verdict::failed}}), journal(s, 2, {{"green", Verdict::failed}})}, {});
  ASSERT_EQ(plan.changes.size(), 1u);
  EXPECT_EQ(plan.changes[0].from, LifecycleStatus::promoted);
  EXPECT_EQ(plan.changes[0].to, LifecycleStatus::candidate);
}

TEST(Promotion, RefusesJournalsThatCannotCount) {
  const Suite s = suite();
  auto other = journal(s, 1, {});
  other.run.suite_name = "billing";
  auto production = journal(s, 2, {});
  production.run.production = true;
  production.run.environment = "prod";
  auto interrupted = journal(s, 3, {});
  interrupted.run.gate = "interrupted";
  interrupted.run.gate_reason = "SIGTERM";
  const auto refused = refused_journals(s, {other, production, interrupted, journal(s, 4, {})});
  ASSERT_EQ(refused.size(), 3u);
  EXPECT_EQ(refused[0], "run-1/journal.json: a journal of suite \"billing\", not of \"shop\"");
  EXPECT_EQ(refused[1],
            "run-2/journal.json: a run in the production environment \"prod\"; promotion counts test-environment runs only");
  EXPECT_EQ(refused[2], "run-3/journal.json: the run was interrupted (SIGTERM)");
}

}  // namespace chaosgate::insight
