#include "engine/fault_ledger_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/temp_dir.h"
#include "util/errors.h"

namespace chaosgate {
namespace {

Experiment experiment(const std::string& id) {
  Experiment e;
  e.id = id;
  for (const char* name : {"stall", "hold", "slow"}) {
    Action action;
    action.name = name;
    action.kind = ActionKind::command;
    action.fault = std::string(name) != "hold";
    e.method.push_back(action);
  }
  return e;
}

LedgerRun run() { return {"run-1", 4242, "suites/shop.yaml", "abc123", "staging", "2026-12-02T07:00:00.000Z"}; }

// A ledger file in a fresh directory; `started_with_fault` is the common
// beginning: experiment `id`'s method started and its first fault injected.
class FaultLedgerFileTest : public ::testing::Test {
protected:
  void started_with_fault(FaultLedgerFile& ledger, const std::string& id) {
    ledger.method_started(experiment(id));
    ledger.injecting(experiment(id), 0);
  }

  test::TempDir dir;
  const std::string path = dir.str() + "/faults-in-effect.jsonl";
};

std::string error_of(const std::string& path) {
  try {
    read_fault_ledger(path);
  } catch (const UserError& e) {
    return e.what();
  }
  return "no error";
}

TEST_F(FaultLedgerFileTest, NamesTheRunAndEveryExperimentStillOwingRollbacks) {
  FaultLedgerFile ledger(path, run());
  const Experiment a = experiment("a"), b = experiment("b"), c = experiment("c");
  ledger.method_started(a);
  ledger.injecting(a, 0);
  ledger.method_started(b);
  ledger.injecting(b, 0);
  ledger.injecting(b, 2);
  ledger.rolled_back(a, true);
  ledger.method_started(c);
  ledger.injecting(c, 2);
  ledger.rolled_back(c, false);

  const LedgerContent content = read_fault_ledger(path);
  EXPECT_EQ(content.run.run_id, "run-1");
  EXPECT_EQ(content.run.pid, 4242);
  EXPECT_EQ(content.run.suite_source, "suites/shop.yaml");
  EXPECT_EQ(content.run.environment, "staging");
  ASSERT_EQ(content.owed.size(), 2u);
  EXPECT_EQ(content.owed[0].experiment_id, "b");
  EXPECT_EQ(content.owed[0].faults, (std::vector<std::size_t>{0, 2}));
  EXPECT_FALSE(content.owed[0].rollback_failed);
  EXPECT_EQ(content.owed[0].definition_digest.size(), 64u);
  EXPECT_EQ(content.owed[1].experiment_id, "c");
  EXPECT_TRUE(content.owed[1].rollback_failed);
  EXPECT_EQ(ledger.owing(), (std::vector<std::string>{"b", "c"}));
  EXPECT_FALSE(ledger.close_if_settled());
  EXPECT_TRUE(std::filesystem::exists(path));
}

TEST_F(FaultLedgerFileTest, ARunThatSettlesEverythingRemovesIt) {
  FaultLedgerFile ledger(path, run());
  started_with_fault(ledger, "a");
  EXPECT_FALSE(ledger.close_if_settled());
  ledger.rolled_back(experiment("a"), true);
  EXPECT_TRUE(ledger.close_if_settled());
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST_F(FaultLedgerFileTest, AFailedRollbackThenARetryKeepsTheFirstAttemptsFaults) {
  FaultLedgerFile ledger(path, run());
  started_with_fault(ledger, "a");
  ledger.rolled_back(experiment("a"), false);
  ledger.method_started(experiment("a"));  // the retry
  ledger.injecting(experiment("a"), 2);
  const auto owed = read_fault_ledger(path).owed;
  ASSERT_EQ(owed.size(), 1u);
  EXPECT_EQ(owed[0].faults, (std::vector<std::size_t>{0, 2}));
}

TEST_F(FaultLedgerFileTest, ALastLineCutShortByTheGatesDeathIsIgnored) {
  {
    FaultLedgerFile ledger(path, run());
    started_with_fault(ledger, "a");
  }
  std::ofstream(path, std::ios::app) << R"({"experiment":"a","event":"rolledBa)";
  const auto owed = read_fault_ledger(path).owed;
  ASSERT_EQ(owed.size(), 1u);  // still owed: the settling line never completed
  EXPECT_EQ(owed[0].faults, (std::vector<std::size_t>{0}));
}

TEST_F(FaultLedgerFileTest, SettlingTheLastOwedExperimentRemovesTheFile) {
  {
    FaultLedgerFile ledger(path, run());
    ledger.method_started(experiment("a"));
    ledger.method_started(experiment("b"));
  }
  settle_fault_ledger(path, "a", true);
  EXPECT_EQ(read_fault_ledger(path).owed.size(), 1u);
  settle_fault_ledger(path, "b", false);
  EXPECT_TRUE(read_fault_ledger(path).owed.at(0).rollback_failed);
  settle_fault_ledger(path, "b", true);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST_F(FaultLedgerFileTest, DamageIsNamedByFileAndLine) {
  const std::string first = R"({"chaosgateFaultLedger":1,"runId":"r","pid":1,"suite":"s","suiteDigest":"d","environment":"e","started":"t"})";
  const auto damaged = [&](const std::string& name, const std::string& text) { return dir.write(name, text).string(); };
  EXPECT_NE(error_of(damaged("a.jsonl", first + "\nnot json\n")).find("a.jsonl:2: not a JSON object"), std::string::npos);
  EXPECT_NE(error_of(damaged("b.jsonl", R"({"something":"else"})" "\n")).find("b.jsonl:1: chaosgateFaultLedger"), std::string::npos);
  EXPECT_NE(error_of(damaged("c.jsonl", first + "\n" + R"({"experiment":"a","event":"injecting","fault":0})" "\n"))
                .find("c.jsonl:2: fault: injected before its experiment's method started"),
            std::string::npos);
  EXPECT_NE(error_of(damaged("d.jsonl", first + "\n" + R"({"experiment":"a","event":"method"})" "\n")).find("d.jsonl:2: a field is missing"),
            std::string::npos);
  EXPECT_NE(error_of(damaged("e.jsonl", "")).find("e.jsonl:1: empty"), std::string::npos);
  EXPECT_NE(error_of(dir.str() + "/missing.jsonl").find("missing.jsonl: cannot be read"), std::string::npos);
}

}  // namespace
}  // namespace chaosgate
