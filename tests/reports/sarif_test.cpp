#include "sarif.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "support/files.h"
#include "support/run_fixture.h"
#include "support/temp_dir.h"
#include "util/redact.h"
#include "util/text.h"

namespace chaosgate {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAre;
using nlohmann::json;
namespace id = test::fixture_id;

const json& sarif_run(const json& log) { return log.at("runs").at(0); }
const json& rules_of(const json& log) { return sarif_run(log).at("tool").at("driver").at("rules"); }
const json& results_of(const json& log) { return sarif_run(log).at("results"); }

const json& rule_with_id(const json& log, const std::string& rule_id) {
  for (const auto& rule : rules_of(log))
    if (rule.at("id") == rule_id) return rule;
  throw std::runtime_error("no rule " + rule_id);
}

const json& result_for(const json& log, const std::string& rule_id) {
  for (const auto& result : results_of(log))
    if (result.at("ruleId") == rule_id) return result;
  throw std::runtime_error("no result for " + rule_id);
}

std::vector<std::string> result_levels(const json& log) {
  std::vector<std::string> out;
  for (const auto& result : results_of(log)) out.push_back(result.at("level"));
  return out;
}

// A run of one failed experiment at `risk`.
RunResult single_failure(RiskLevel risk) {
  RunResult run = test::representative_run();
  run.experiments = {test::failed_experiment("only-failure", risk)};
  return run;
}

class SarifRepresentative : public ::testing::Test {
protected:
  RunResult run = test::representative_run();
  json log = sarif_log(run);
};

// --- envelope and rules -----------------------------------------------------

TEST_F(SarifRepresentative, DeclaresVersionAndSchema) {
  EXPECT_EQ(log.at("version"), "2.1.0");
  EXPECT_EQ(log.at("$schema"), "https://json.schemastore.org/sarif-2.1.0.json");
  ASSERT_EQ(log.at("runs").size(), 1u);
  const json& driver = sarif_run(log).at("tool").at("driver");
  EXPECT_EQ(driver.at("name"), "chaosgate");
  EXPECT_EQ(driver.at("version"), "0.1.0");
  EXPECT_EQ(driver.at("semanticVersion"), "0.1.0");
}

TEST_F(SarifRepresentative, HasExactlyOneRulePerExperimentInPlanOrder) {
  std::vector<std::string> ids;
  for (const auto& rule : rules_of(log)) ids.push_back(rule.at("id"));
  EXPECT_THAT(ids, ElementsAre(id::passed, id::failed, id::flaky, id::error, id::skipped, id::aborted));
}

TEST_F(SarifRepresentative, RuleDescribesExperiment) {
  const json& rule = rule_with_id(log, id::failed);
  EXPECT_EQ(rule.at("name"), "CartSurvivesRedisPause");
  EXPECT_EQ(rule.at("shortDescription").at("text"), "Cart keeps serving reads while Redis is paused.");
  EXPECT_EQ(rule.at("fullDescription").at("text"), run.experiments[1].experiment.hypothesis);
  EXPECT_EQ(rule.at("defaultConfiguration").at("level"), "error");
}

TEST_F(SarifRepresentative, RuleHelpListsFollowUpTasks) {
  const json& help = rule_with_id(log, id::failed).at("help");
  const std::string markdown = help.at("markdown");
  EXPECT_THAT(markdown, HasSubstr("Add a circuit breaker around Redis reads"));
  EXPECT_THAT(markdown, HasSubstr("Alert on cart read errors"));
  EXPECT_THAT(markdown, HasSubstr(run.experiments[1].experiment.hypothesis));
  EXPECT_THAT(markdown, HasSubstr("INC-2041"));
  EXPECT_THAT(help.at("text").get<std::string>(), HasSubstr("Add a circuit breaker around Redis reads"));
  // An experiment without follow-up tasks has no follow-up section.
  EXPECT_THAT(rule_with_id(log, id::passed).at("help").at("markdown").get<std::string>(), Not(HasSubstr("Follow-up")));
}

TEST_F(SarifRepresentative, RulePropertiesCarryTeamCategoryAttackGroupRiskAndTags) {
  const json& properties = rule_with_id(log, id::failed).at("properties");
  EXPECT_EQ(properties.at("team"), "team-cart");
  EXPECT_EQ(properties.at("category"), "cache-outage");
  EXPECT_EQ(properties.at("attackGroup"), "state");
  EXPECT_EQ(properties.at("risk"), (json{{"likelihood", 4}, {"impact", 4}, {"score", 16}, {"level", "high"}}));
  EXPECT_THAT(properties.at("tags").get<std::vector<std::string>>(),
              ElementsAre("chaos-engineering", "state", "redis", "cache", "tier-1"));
}

TEST(SarifRules, TagsAreCappedAndDeduplicated) {
  RunResult run = single_failure(RiskLevel::high);
  run.experiments[0].experiment.tags = {"state", "a", "b", "c", "d", "e"};
  const json log = sarif_log(run, {.max_results = 25000, .max_tags = 4});
  EXPECT_THAT(rules_of(log).at(0).at("properties").at("tags").get<std::vector<std::string>>(),
              ElementsAre("chaos-engineering", "state", "a", "b"));
}

// --- results ----------------------------------------------------------------

TEST_F(SarifRepresentative, OneResultPerFailedErrorAndAbortedExperiment) {
  std::vector<std::string> rule_ids;
  for (const auto& result : results_of(log)) rule_ids.push_back(result.at("ruleId"));
  EXPECT_THAT(rule_ids, UnorderedElementsAre(id::failed, id::error, id::aborted));
  // Most severe first: the regression before the notes.
  EXPECT_EQ(rule_ids.front(), id::failed);
}

TEST_F(SarifRepresentative, ErrorAndAbortedResultsAreNotes) {
  EXPECT_EQ(result_for(log, id::error).at("level"), "note");
  EXPECT_EQ(result_for(log, id::aborted).at("level"), "note");
  EXPECT_EQ(result_for(log, id::failed).at("level"), "error");  // risk high
  EXPECT_THAT(result_for(log, id::error).at("message").at("text").get<std::string>(),
              HasSubstr("error: action failover-db failed: HTTP 500 from admin API"));
}

TEST_F(SarifRepresentative, RuleIndexPointsAtRuleWithSameId) {
  for (const auto& result : results_of(log)) {
    const std::size_t index = result.at("ruleIndex");
    ASSERT_LT(index, rules_of(log).size());
    EXPECT_EQ(rules_of(log).at(index).at("id"), result.at("ruleId"));
  }
}

TEST_F(SarifRepresentative, ResultMessageNamesProbeExpectedAndObserved) {
  const json& result = result_for(log, id::failed);
  EXPECT_EQ(result.at("message").at("text"),
            "cart-survives-redis-pause regressed: probe cart-reads-during-stall expected success ratio >= 0.95, "
            "p95 <= 800ms, observed success ratio 0.71 (71/100), p95 1240ms.");
  EXPECT_EQ(result.at("properties").at("verdict"), "failed");
  EXPECT_EQ(result.at("properties").at("owner"), "team-cart");
  EXPECT_EQ(result.at("properties").at("durationMs"), 12345);
}

TEST(SarifLevels, FailedResultLevelFollowsRisk) {
  const std::pair<RiskLevel, const char*> cases[] = {
      {RiskLevel::critical, "error"}, {RiskLevel::high, "error"}, {RiskLevel::medium, "warning"}, {RiskLevel::low, "note"}};
  for (const auto& [risk, level] : cases) {
    SCOPED_TRACE(enum_name(risk));
    const json log = sarif_log(single_failure(risk));
    ASSERT_EQ(results_of(log).size(), 1u);
    EXPECT_EQ(results_of(log).at(0).at("level"), level);
    EXPECT_EQ(rules_of(log).at(0).at("defaultConfiguration").at("level"), level);
  }
}

TEST_F(SarifRepresentative, PartialFingerprintsCarryTheFingerprint) {
  EXPECT_EQ(result_for(log, id::failed).at("partialFingerprints").at("chaosgate/v1"), run.experiments[1].fingerprint);
  EXPECT_EQ(result_for(log, id::error).at("partialFingerprints").at("chaosgate/v1"), run.experiments[3].fingerprint);
}

TEST(SarifResults, MissingFingerprintIsDerivedFromSuiteExperimentAndProbe) {
  RunResult run = single_failure(RiskLevel::high);
  run.experiments[0].fingerprint.clear();
  const json log = sarif_log(run);
  EXPECT_EQ(results_of(log).at(0).at("partialFingerprints").at("chaosgate/v1"),
            regression_fingerprint(run.suite_name, "only-failure", "cart-reads-during-stall"));
}

// --- locations --------------------------------------------------------------

TEST_F(SarifRepresentative, RelativeSuitePathIsPercentEncodedUnderSrcRoot) {
  const json& physical = result_for(log, id::failed).at("locations").at(0).at("physicalLocation");
  EXPECT_EQ(physical.at("artifactLocation").at("uri"), "suites/my%20suite.yaml");
  EXPECT_EQ(physical.at("artifactLocation").at("uriBaseId"), "%SRCROOT%");
  EXPECT_EQ(physical.at("region").at("startLine"), 42);
  EXPECT_EQ(physical.at("region").at("startColumn"), 5);
  EXPECT_TRUE(sarif_run(log).at("originalUriBaseIds").contains("%SRCROOT%"));
  EXPECT_EQ(result_for(log, id::aborted).at("locations").at(0).at("physicalLocation").at("region").at("startLine"), 120);
}

TEST(SarifLocations, AbsolutePathBecomesFileUri) {
  RunResult run = single_failure(RiskLevel::high);
  run.experiments[0].experiment.location = {"/srv/chaos/shared experiments.yaml", 7, 0};
  const json artifact = results_of(sarif_log(run)).at(0).at("locations").at(0).at("physicalLocation");
  EXPECT_EQ(artifact.at("artifactLocation").at("uri"), "file:///srv/chaos/shared%20experiments.yaml");
  EXPECT_FALSE(artifact.at("artifactLocation").contains("uriBaseId"));
  EXPECT_EQ(artifact.at("region").at("startLine"), 7);
  EXPECT_FALSE(artifact.at("region").contains("startColumn"));
}

TEST(SarifLocations, HttpSuiteKeepsItsUrl) {
  RunResult run = single_failure(RiskLevel::high);
  run.experiments[0].experiment.location = {"https://chaos.example.com/suites/shop.yaml", 3, 1};
  const json artifact = results_of(sarif_log(run)).at(0).at("locations").at(0).at("physicalLocation").at("artifactLocation");
  EXPECT_EQ(artifact.at("uri"), "https://chaos.example.com/suites/shop.yaml");
  EXPECT_FALSE(artifact.contains("uriBaseId"));
}

TEST(SarifLocations, UnknownLocationFallsBackToFirstSuiteFileWithoutRegion) {
  RunResult run = single_failure(RiskLevel::high);
  run.experiments[0].experiment.location = {};
  const json physical = results_of(sarif_log(run)).at(0).at("locations").at(0).at("physicalLocation");
  EXPECT_EQ(physical.at("artifactLocation").at("uri"), "suites/my%20suite.yaml");
  EXPECT_FALSE(physical.contains("region"));
}

TEST(SarifRelativeUri, PercentEncodesEachSegmentAndKeepsSlashes) {
  EXPECT_EQ(sarif_relative_uri("examples/my suite.yaml"), "examples/my%20suite.yaml");
  EXPECT_EQ(sarif_relative_uri("my suite.yaml"), "my%20suite.yaml");
  EXPECT_EQ(sarif_relative_uri("a/b/c-d_e~f.yaml"), "a/b/c-d_e~f.yaml");
  EXPECT_EQ(sarif_relative_uri("x/100%#?.yaml"), "x/100%25%23%3F.yaml");
  EXPECT_EQ(sarif_relative_uri("d/\xC3\xBC.yaml"), "d/%C3%BC.yaml");
  EXPECT_EQ(sarif_relative_uri("/abs/a b"), "/abs/a%20b");
}

TEST(SarifRelativeUri, DropsLeadingDotSlash) {
  EXPECT_EQ(sarif_relative_uri("./suites/a b.yaml"), "suites/a%20b.yaml");
  EXPECT_EQ(sarif_relative_uri("../shared/a.yaml"), "../shared/a.yaml");
}

// --- invocation and run properties ------------------------------------------

TEST_F(SarifRepresentative, InvocationRecordsTimesExitCodeAndSuccess) {
  const json& invocation = sarif_run(log).at("invocations").at(0);
  EXPECT_EQ(invocation.at("startTimeUtc"), "2026-11-25T07:12:03.123Z");
  EXPECT_EQ(invocation.at("endTimeUtc"), "2026-11-25T07:13:03.123Z");
  EXPECT_EQ(invocation.at("exitCode"), 1);
  EXPECT_EQ(invocation.at("executionSuccessful"), true);  // a failed gate still ran to the end
  EXPECT_FALSE(invocation.contains("toolExecutionNotifications"));
}

TEST(SarifInvocation, InterruptedRunIsNotSuccessful) {
  RunResult run = test::representative_run();
  run.gate = "interrupted";
  run.gate_reason = "SIGTERM";
  run.exit_code = 143;
  const json invocation = sarif_run(sarif_log(run)).at("invocations").at(0);
  EXPECT_EQ(invocation.at("executionSuccessful"), false);
  EXPECT_EQ(invocation.at("exitCode"), 143);
  EXPECT_EQ(invocation.at("toolExecutionNotifications").at(0).at("message").at("text"), "Gate interrupted: SIGTERM.");
}

TEST(SarifInvocation, PreflightProblemsMakeRunNotSuccessful) {
  RunResult run = test::representative_run();
  run.preflight_problems = {"target cart-api unreachable"};
  EXPECT_EQ(sarif_run(sarif_log(run)).at("invocations").at(0).at("executionSuccessful"), false);
}

TEST(SarifInvocation, CommandLineIsRedacted) {
  const std::string secret = "Zq8-sarif-test-secret-4711";
  register_secret(secret);
  RunResult run = test::representative_run();
  run.command_line = "chaosgate run --env staging --var db_pass=" + secret + " --header 'PRIVATE-TOKEN: glpat-abc123'";
  const std::string command_line = sarif_run(sarif_log(run)).at("invocations").at(0).at("commandLine");
  EXPECT_THAT(command_line, Not(HasSubstr(secret)));
  EXPECT_THAT(command_line, Not(HasSubstr("glpat-abc123")));
  EXPECT_THAT(command_line, HasSubstr("chaosgate run --env staging --var db_pass=***"));
}

TEST_F(SarifRepresentative, AutomationIdNamesEnvironmentAndRun) {
  EXPECT_EQ(sarif_run(log).at("automationDetails").at("id"), "chaosgate/staging/run-20261125-071203-ab12");
}

TEST_F(SarifRepresentative, RunPropertiesDescribeSuiteAndGate) {
  const json& properties = sarif_run(log).at("properties");
  EXPECT_EQ(properties.at("suiteDigest"), run.suite_digest);
  EXPECT_EQ(properties.at("gate"), "failed");
  EXPECT_EQ(properties.at("resultsOmitted"), 0);
  EXPECT_FALSE(properties.contains("truncation"));
}

// --- the results cap --------------------------------------------------------

TEST(SarifCap, KeepsMostSevereResultsAndRecordsHowManyWereOmitted) {
  RunResult run = test::representative_run();
  run.experiments = {test::failed_experiment("low-one", RiskLevel::low), test::failed_experiment("medium-one", RiskLevel::medium),
                     test::failed_experiment("critical-one", RiskLevel::critical),
                     test::failed_experiment("high-one", RiskLevel::high), test::failed_experiment("medium-two", RiskLevel::medium)};
  const json log = sarif_log(run, {.max_results = 3, .max_tags = 20});
  std::vector<std::string> kept;
  for (const auto& result : results_of(log)) kept.push_back(result.at("ruleId"));
  EXPECT_THAT(kept, ElementsAre("critical-one", "high-one", "medium-one"));
  EXPECT_EQ(sarif_run(log).at("properties").at("resultsOmitted"), 2);
  EXPECT_THAT(sarif_run(log).at("properties").at("truncation").get<std::string>(), HasSubstr("2 of 5"));
  // Rules only for the kept results, and every index still right.
  EXPECT_EQ(rules_of(log).size(), 3u);
  for (const auto& result : results_of(log))
    EXPECT_EQ(rules_of(log).at(result.at("ruleIndex").get<std::size_t>()).at("id"), result.at("ruleId"));
}

TEST(SarifCap, RegressionsOutrankErrorsAndAborts) {
  RunResult run = test::representative_run();  // failed (high risk), error, aborted
  run.experiments.push_back(test::failed_experiment("low-regression", RiskLevel::low));
  const json log = sarif_log(run, {.max_results = 2, .max_tags = 20});
  EXPECT_THAT(result_levels(log), ElementsAre("error", "note"));
  EXPECT_EQ(results_of(log).at(1).at("ruleId"), "low-regression");
  EXPECT_EQ(sarif_run(log).at("properties").at("resultsOmitted"), 2);
}

// --- hostile text -----------------------------------------------------------

void for_each_string(const json& value, const std::function<void(const std::string&)>& visit) {
  if (value.is_string()) {
    visit(value.get_ref<const std::string&>());
  } else if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      visit(key);
      for_each_string(child, visit);
    }
  } else if (value.is_array()) {
    for (const auto& child : value) for_each_string(child, visit);
  }
}

TEST(SarifHostile, EveryStringIsValidUtf8WithoutControlCharacters) {
  const json log = sarif_log(test::hostile_run());
  std::size_t strings = 0;
  for_each_string(log, [&](const std::string& text) {
    ++strings;
    EXPECT_FALSE(find_invalid_utf8(text).has_value()) << text.substr(0, 80);
    for (const char c : text)
      if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') ADD_FAILURE() << "control character in " << text.substr(0, 80);
  });
  EXPECT_GT(strings, 100u);
  EXPECT_NO_THROW(static_cast<void>(log.dump()));  // the strict dump: throws on invalid UTF-8
}

TEST(SarifHostile, MegabyteStringsAreCapped) {
  const RunResult run = test::hostile_run();
  const std::string text = sarif_log(run).dump(-1, ' ', false, json::error_handler_t::replace);
  EXPECT_LT(text.size(), 1u << 20);
  // Rule ids and result rule ids still agree after cleaning.
  const json log = json::parse(text);
  for (const auto& result : results_of(log))
    EXPECT_EQ(rules_of(log).at(result.at("ruleIndex").get<std::size_t>()).at("id"), result.at("ruleId"));
}

}  // namespace
}  // namespace chaosgate

namespace chaosgate {
namespace {

// --- the streamed file --------------------------------------------------------

// write_sarif makes the log one rule and one result at a time; the file must
// be exactly what dumping the whole log gives.
std::string written_sarif(const RunResult& run, const SarifOptions& options = {}) {
  test::TempDir dir;
  write_sarif(run, dir.str() + "/chaosgate.sarif", options);
  return test::read_file(dir.str() + "/chaosgate.sarif");
}

std::string dumped_sarif(const RunResult& run, const SarifOptions& options = {}) {
  return sarif_log(run, options).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

TEST(SarifFile, IsByteForByteTheDumpedLog) {
  EXPECT_EQ(written_sarif(test::representative_run()), dumped_sarif(test::representative_run()));
  EXPECT_EQ(written_sarif(test::hostile_run()), dumped_sarif(test::hostile_run()));
}

TEST(SarifFile, EmptyRunAndCutRunAreTheDumpedLogToo) {
  RunResult empty = test::representative_run();
  empty.experiments.clear();
  EXPECT_EQ(written_sarif(empty), dumped_sarif(empty));
  RunResult passed_only = test::representative_run();
  passed_only.experiments.resize(1);
  passed_only.experiments[0].verdict = Verdict::passed;
  EXPECT_EQ(written_sarif(passed_only), dumped_sarif(passed_only));
  const RunResult run = test::representative_run();
  const SarifOptions cut{.max_results = 1, .max_tags = 20};
  EXPECT_EQ(written_sarif(run, cut), dumped_sarif(run, cut));
}

}  // namespace
}  // namespace chaosgate
