#include "insight/risk_register.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "insight/csv.h"

namespace chaosgate::insight {

namespace {

Experiment experiment(const std::string& id, const std::string& service, int likelihood, int impact) {
  Experiment e;
  e.id = id;
  e.title = id;
  e.service = service;
  e.owner = "team";
  e.incident_category = "dependency-outage";
  e.attack_group = AttackGroup::dependency;
  e.status = LifecycleStatus::promoted;
  e.risk = {likelihood, impact};
  return e;
}

Suite suite() {
  Suite s;
  s.name = "shop";
  s.catalog.services = {Service{"cart", "team", {}, {}, {}, {}}, Service{"storefront", "team", {}, {}, {}, {}},
                        Service{"idle", "team", {}, {}, {}, {}}};
  s.experiments = {experiment("cart-redis", "cart", 3, 4), experiment("cart-cpu", "cart", 2, 2),
                   experiment("front-freeze", "storefront", 1, 3)};
  return s;
}

// One run: experiment id -> verdict; ids not given are absent from the journal.
RunResult run(int minute, std::map<std::string, Verdict> verdicts) {
  RunResult r;
  r.suite_name = "shop";
  r.run_id = "run-" + std::to_string(minute);
  r.started = TimePoint{} + std::chrono::minutes(minute);
  for (const auto& [id, verdict] : verdicts) {
    ExperimentResult result;
    result.experiment.id = id;
    result.verdict = verdict;
    r.experiments.push_back(result);
  }
  return r;
}

const RiskEntry& entry(const RiskRegister& risks, const std::string& id) {
  for (const auto& e : risks.entries)
    if (e.id == id) return e;
  throw std::out_of_range(id);
}

}  // namespace

TEST(RiskRegister, WithoutJournalsEveryExperimentIsNeverRunAtItsSuiteRisk) {
  const auto risks = build_risk_register(suite(), {}, {});
  const auto& e = entry(risks, "cart-redis");
  EXPECT_EQ(e.status, RunStatus::never_run);
  EXPECT_EQ(e.likelihood, 3);
  EXPECT_EQ(e.score, 12);
  EXPECT_EQ(e.level, RiskLevel::high);  // standard matrix: 10-16 high
  EXPECT_EQ(e.trend(), "");
  EXPECT_EQ(e.direction, Direction::unknown);
}

TEST(RiskRegister, LevelsComeFromTheSuitesMatrixNotTheScore) {
  Suite s = suite();
  s.catalog.risk_matrix.levels[1][1] = RiskLevel::critical;  // likelihood 2, impact 2
  const auto risks = build_risk_register(s, {}, {});
  EXPECT_EQ(entry(risks, "cart-cpu").level, RiskLevel::critical);
  EXPECT_EQ(risks.entries.front().id, "cart-cpu");  // highest level first
}

TEST(RiskRegister, TrendStatusAndDirectionFollowTheRunsOldestFirst) {
  const auto risks = build_risk_register(
      suite(),
      {run(1, {{"cart-redis", Verdict::passed}, {"front-freeze", Verdict::failed}}),
       run(2, {{"cart-redis", Verdict::passed}, {"front-freeze", Verdict::flaky}}),
       run(3, {{"cart-redis", Verdict::failed}, {"front-freeze", Verdict::passed}, {"cart-cpu", Verdict::skipped}})},
      {});
  const auto& redis = entry(risks, "cart-redis");
  EXPECT_EQ(redis.trend(), "P P F");
  EXPECT_EQ(redis.status, RunStatus::regressed);
  EXPECT_EQ(redis.direction, Direction::worse);
  const auto& front = entry(risks, "front-freeze");
  EXPECT_EQ(front.trend(), "F K P");
  EXPECT_EQ(front.status, RunStatus::held);
  EXPECT_EQ(front.direction, Direction::better);
  const auto& cpu = entry(risks, "cart-cpu");
  EXPECT_EQ(cpu.trend(), "- - -");  // skipped is not a judgement
  EXPECT_EQ(cpu.status, RunStatus::never_run);
}

TEST(RiskRegister, StatusIsFromTheNewestRunThatJudgedTheExperiment) {
  const auto risks = build_risk_register(suite(), {run(1, {{"cart-redis", Verdict::error}}), run(2, {})}, {});
  EXPECT_EQ(entry(risks, "cart-redis").status, RunStatus::error);
  EXPECT_EQ(entry(risks, "cart-redis").trend(), "E -");
}

TEST(RiskRegister, ConsecutiveRegressionsRaiseLikelihoodAndLevel) {
  const auto risks = build_risk_register(
      suite(), {run(1, {{"cart-redis", Verdict::failed}}), run(2, {}), run(3, {{"cart-redis", Verdict::failed}})}, {});
  const auto& e = entry(risks, "cart-redis");
  EXPECT_EQ(e.regression_streak, 2);  // the run without it neither breaks nor extends the streak
  EXPECT_EQ(e.suite_likelihood, 3);
  EXPECT_EQ(e.likelihood, 5);
  EXPECT_EQ(e.score, 20);
  EXPECT_EQ(e.level, RiskLevel::critical);
}

TEST(RiskRegister, ARegressionBeforeAPassDoesNotRaiseLikelihood) {
  const auto risks =
      build_risk_register(suite(), {run(1, {{"cart-redis", Verdict::failed}}), run(2, {{"cart-redis", Verdict::passed}})}, {});
  EXPECT_EQ(entry(risks, "cart-redis").likelihood, 3);
  EXPECT_EQ(entry(risks, "cart-redis").level, RiskLevel::high);
}

TEST(RiskRegister, RaisedLikelihoodIsCappedAtFive) {
  EXPECT_EQ(raised_likelihood(4, 3), 5);
  EXPECT_EQ(raised_likelihood(2, 1), 3);
  EXPECT_EQ(raised_likelihood(2, 0), 2);
}

TEST(RiskRegister, ServiceRollupHasHighestLevelAndEveryStatusCounted) {
  const auto risks = build_risk_register(suite(), {run(1, {{"cart-redis", Verdict::failed}, {"cart-cpu", Verdict::passed}})}, {});
  ASSERT_EQ(risks.services.size(), 3u);
  const auto& cart = risks.services[0];
  EXPECT_EQ(cart.service, "cart");
  EXPECT_EQ(cart.experiments, 2);
  EXPECT_EQ(cart.highest, RiskLevel::high);  // cart-redis, 4 x 4 = 16 after the raise
  EXPECT_EQ(cart.statuses.at(RunStatus::regressed), 1);
  EXPECT_EQ(cart.statuses.at(RunStatus::held), 1);
  EXPECT_EQ(cart.statuses.at(RunStatus::flaky), 0);
  EXPECT_EQ(risks.services[1].statuses.at(RunStatus::never_run), 1);
  EXPECT_FALSE(risks.services[2].highest.has_value());  // "idle" has no experiment
}

TEST(RiskRegister, OpenTicketsAreAttachedSorted) {
  const auto risks = build_risk_register(suite(), {}, {{"cart-redis", {"CHAOS-7", "CHAOS-12"}}});
  EXPECT_EQ(entry(risks, "cart-redis").open_tickets, (std::vector<std::string>{"CHAOS-12", "CHAOS-7"}));
  EXPECT_TRUE(entry(risks, "cart-cpu").open_tickets.empty());
}

TEST(RiskRegister, JsonHasStableKeys) {
  const nlohmann::json json = build_risk_register(suite(), {run(1, {{"cart-redis", Verdict::failed}})}, {});
  ASSERT_EQ(json.at("experiments").size(), 3u);
  const auto& first = json.at("experiments").at(0);
  EXPECT_EQ(first.at("id"), "cart-redis");
  EXPECT_EQ(first.at("risk").at("likelihood"), 4);
  EXPECT_EQ(first.at("risk").at("suiteLikelihood"), 3);
  EXPECT_EQ(first.at("risk").at("score"), 16);
  EXPECT_EQ(first.at("risk").at("level"), "high");
  EXPECT_EQ(first.at("status"), "regressed");
  EXPECT_EQ(first.at("trend").at("compact"), "F");
  EXPECT_EQ(json.at("services").at(0).at("statuses").at("never run"), 1);
  EXPECT_TRUE(json.contains("likelihoodRule"));
}

TEST(RiskRegisterCsv, QuotesFieldsWithCommasQuotesAndLineBreaks) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_record({"a", "b,c"}), "a,\"b,c\"\r\n");
}

TEST(RiskRegisterCsv, HeaderThenOneRecordPerExperiment) {
  Suite s = suite();
  s.experiments[0].title = "Cart, under \"load\"";
  const auto csv = to_csv(build_risk_register(s, {}, {}));
  EXPECT_EQ(csv.rfind("id,title,service,owner,", 0), 0u);
  std::size_t records = 0;
  for (std::size_t at = csv.find("\r\n"); at != std::string::npos; at = csv.find("\r\n", at + 2)) ++records;
  EXPECT_EQ(records, 4u);
  EXPECT_NE(csv.find("cart-redis,\"Cart, under \"\"load\"\"\",cart,"), std::string::npos);
}

}  // namespace chaosgate::insight
