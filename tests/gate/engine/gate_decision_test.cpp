#include "engine/gate_decision.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <initializer_list>
#include <utility>

namespace chaosgate {

namespace {

RunResult run_of(std::initializer_list<std::pair<const char*, Verdict>> results) {
  RunResult run;
  for (const auto& [id, verdict] : results) {
    ExperimentResult result;
    result.experiment.id = id;
    result.verdict = verdict;
    run.experiments.push_back(result);
  }
  return run;
}

RunResult decided(RunResult run, FailOn policy, int signal = 0) {
  decide_gate(run, policy, signal);
  return run;
}

}  // namespace

TEST(GateDecision, RegressionsFailAndNameTheExperiments) {
  const auto run = decided(run_of({{"a", Verdict::passed}, {"b", Verdict::failed}, {"c", Verdict::error}}), FailOn::regression);
  EXPECT_EQ(run.gate, "failed");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.gate_reason, "1 regression(s): b");
}

TEST(GateDecision, AnErrorWithoutRegressionIsInconclusive) {
  const auto run = decided(run_of({{"a", Verdict::passed}, {"b", Verdict::error}, {"c", Verdict::aborted}}), FailOn::regression);
  EXPECT_EQ(run.gate, "inconclusive");
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.gate_reason, "2 experiment(s) could not be judged: b, c");
}

TEST(GateDecision, PassesCountHeldAndFlakyExperiments) {
  const auto run = decided(run_of({{"a", Verdict::passed}, {"b", Verdict::flaky}, {"c", Verdict::skipped}}), FailOn::regression);
  EXPECT_EQ(run.gate, "passed");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.gate_reason, "2 experiment(s) held (1 flaky: b)");
}

TEST(GateDecision, FailOnAnyAndNever) {
  const auto any = decided(run_of({{"a", Verdict::passed}, {"b", Verdict::flaky}}), FailOn::any);
  EXPECT_EQ(any.exit_code, 1);
  EXPECT_EQ(any.gate_reason, "--fail-on any: b");
  const auto never = decided(run_of({{"a", Verdict::failed}, {"b", Verdict::error}}), FailOn::never);
  EXPECT_EQ(never.gate, "passed");
  EXPECT_EQ(never.exit_code, 0);
  EXPECT_EQ(never.gate_reason, "--fail-on never: 1 regression(s), 1 error(s) reported only");
}

TEST(GateDecision, ASignalWinsOverEverything) {
  const auto run = decided(run_of({{"a", Verdict::failed}}), FailOn::regression, SIGTERM);
  EXPECT_EQ(run.gate, "interrupted");
  EXPECT_EQ(run.exit_code, 143);
  EXPECT_EQ(decided(run_of({}), FailOn::regression, SIGINT).exit_code, 130);
}

TEST(GateDecision, PreflightProblemsAreInconclusive) {
  auto run = run_of({});
  run.preflight_problems = {"Prometheus unreachable"};
  decide_gate(run, FailOn::regression, 0);
  EXPECT_EQ(run.gate, "inconclusive");
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.gate_reason, "preflight failed: Prometheus unreachable; nothing was injected");
}

// "0 experiment(s) held" read as a success; nothing was judged.
TEST(GateDecision, ARunOfNothingSaysSo) {
  const auto run = decided(run_of({}), FailOn::regression);
  EXPECT_EQ(run.gate, "passed");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.gate_reason, "no experiment ran");
}

}  // namespace chaosgate
