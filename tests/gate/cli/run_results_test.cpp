#include "cli/run_results.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli/table.h"
#include "engine/gate_decision.h"
#include "journal_file.h"
#include "model/experiment_results.h"
#include "report_writer.h"
#include "support/run_fixture.h"
#include "support/temp_dir.h"
#include "support/unnamed_file.h"

namespace chaosgate::cli {
namespace {

std::string text_of(const ExperimentResult& result) { return nlohmann::json(result).dump(); }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Each experiment's id, as `run` plans them.
TextList planned_ids(const RunResult& run) {
  TextList ids;
  for (const auto& result : run.experiments) ids.push_back(result.experiment.id);
  return ids;
}

// Keeps every result of `run` from two threads, the last first (as parallel
// experiments finish out of order), and checks them: `run` with its results
// in the store instead of in memory, as `chaosgate run` reports it.
RunResult kept_in(const RunResult& run, std::shared_ptr<RunResults> results, std::vector<std::string>& problems) {
  std::vector<std::thread> threads;
  for (int half = 0; half < 2; ++half)
    threads.emplace_back([&, half] {
      for (std::size_t i = run.experiments.size(); i-- > 0;)
        if (static_cast<int>(i % 2) == half) results->keep(i, ExperimentResult(run.experiments[i]));
    });
  for (auto& thread : threads) thread.join();
  results->check(problems);
  RunResult stored = run;
  stored.experiments.clear();
  stored.result_store = std::move(results);
  return stored;
}

// Every file under `dir`, by name.
std::map<std::string, std::string> files_in(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) files[entry.path().filename()] = read_file(entry.path());
  return files;
}

TEST(RunResults, PassedResultsAreSpooledAndReadBackWithoutTheirAttempts) {
  test::TempDir dir;
  const RunResult run = test::representative_run();
  JournalSpool spool(dir.str(), run.experiments.size());
  RunResults results(planned_ids(run), &spool);
  for (std::size_t i = 0; i < run.experiments.size(); ++i) results.keep(i, ExperimentResult(run.experiments[i]));

  std::size_t spooled = 0;
  for (std::size_t i = 0; i < run.experiments.size(); ++i) {
    EXPECT_EQ(results.verdict(i), run.experiments[i].verdict);
    EXPECT_EQ(results.id(i), run.experiments[i].experiment.id);
    const bool passed = run.experiments[i].verdict == Verdict::passed;
    // Only a passed result leaves memory; the others stay whole for the sweep and the tickets.
    EXPECT_EQ(results.held(i) == nullptr, passed) << run.experiments[i].experiment.id;
    if (!passed) {
      EXPECT_EQ(text_of(*results.held(i)), text_of(run.experiments[i]));
    }
    spooled += passed ? 1 : 0;
  }
  ASSERT_GT(spooled, 0u);

  std::vector<std::string> problems;
  results.check(problems);
  EXPECT_TRUE(problems.empty());
  ASSERT_EQ(results.size(), run.experiments.size());
  for (std::size_t i = 0; i < results.size(); ++i) {
    ExperimentResult expected = run.experiments[i];
    if (expected.verdict == Verdict::passed) {
      ASSERT_FALSE(expected.attempts.empty()) << "the fixture's passed result has attempts to leave out";
      expected.attempts.clear();
    }
    ExperimentResult scratch;
    EXPECT_EQ(text_of(results.at(i, scratch)), text_of(expected)) << expected.experiment.id;
  }
}

// Every reader of a run's results gets from the store what it got when the
// results were read back into memory: each report is byte for byte the one
// made from those results in a vector, and so are the table, the gate's
// decision and the counts. (A record read back is not always the result as
// it was kept: text that is not UTF-8 comes back with U+FFFD, as in
// journal.json; the journal is checked against the whole run below.)
TEST(RunResults, ReportsFromTheStoreAreTheReportsOfTheSameResultsInMemory) {
  for (const RunResult& run : {test::representative_run(), test::hostile_run(), test::run_with_experiments(50)}) {
    test::TempDir dir;
    JournalSpool spool(dir.str(), run.experiments.size());
    std::vector<std::string> problems;
    RunResult stored = kept_in(run, std::make_shared<RunResults>(planned_ids(run), &spool), problems);
    EXPECT_TRUE(problems.empty()) << problems.front();
    ASSERT_TRUE(stored.experiments.empty());
    RunResult in_memory = stored;
    in_memory.result_store.reset();
    for (const ExperimentResult& result : ExperimentResults(stored)) in_memory.experiments.push_back(result);
    ASSERT_EQ(in_memory.experiments.size(), run.experiments.size());

    decide_gate(in_memory, FailOn::regression, 0);
    decide_gate(stored, FailOn::regression, 0);
    EXPECT_EQ(stored.gate_reason, in_memory.gate_reason);
    for (const Verdict verdict : {Verdict::passed, Verdict::failed, Verdict::flaky, Verdict::error, Verdict::skipped, Verdict::aborted})
      EXPECT_EQ(stored.count(verdict), in_memory.count(verdict));

    ReportOptions options;
    options.html = true;
    options.ticket_links = {{in_memory.experiments.front().experiment.id, "https://jira.example.com/browse/CHAOS-1"}};
    options.journal_spool = &spool;
    write_reports(in_memory, dir.str() + "/memory", options);
    write_reports(stored, dir.str() + "/store", options);
    const auto expected = files_in(dir.str() + "/memory");
    const auto written = files_in(dir.str() + "/store");
    ASSERT_EQ(written.size(), 5u);
    for (const auto& [name, text] : expected) EXPECT_TRUE(written.at(name) == text) << name << " differs";

    std::ostringstream table_in_memory, table_stored;
    print_results(table_in_memory, in_memory);
    print_results(table_stored, stored);
    EXPECT_EQ(table_stored.str(), table_in_memory.str());
  }
}

TEST(RunResults, TheJournalOfTheStoreIsTheWholeRunsJournal) {
  for (const RunResult& run : {test::representative_run(), test::hostile_run(), test::run_with_experiments(50)}) {
    test::TempDir dir;
    write_journal(run, dir.str() + "/whole.json", nullptr);
    JournalSpool spool(dir.str(), run.experiments.size());
    std::vector<std::string> problems;
    const RunResult stored = kept_in(run, std::make_shared<RunResults>(planned_ids(run), &spool), problems);
    EXPECT_TRUE(problems.empty()) << problems.front();
    write_journal(stored, dir.str() + "/stored.json", &spool);
    EXPECT_TRUE(read_file(dir.str() + "/stored.json") == read_file(dir.str() + "/whole.json"));
  }
}

// A spool full (its 4 GiB, here a few records' worth) refuses a record: that
// passed result is held whole, and the journal is the same.
TEST(RunResults, APassedResultTheSpoolRefusesIsHeldWhole) {
  const RunResult run = test::run_with_experiments(50);
  test::TempDir dir;
  write_journal(run, dir.str() + "/whole.json", nullptr);
  JournalSpool spool(dir.str(), run.experiments.size(), 4000);
  auto results = std::make_shared<RunResults>(planned_ids(run), &spool);
  std::size_t spooled = 0, held = 0;
  std::vector<std::string> problems;
  const RunResult stored = kept_in(run, results, problems);
  EXPECT_TRUE(problems.empty()) << problems.front();
  for (std::size_t i = 0; i < results->size(); ++i)
    if (results->verdict(i) == Verdict::passed) ++(results->held(i) == nullptr ? spooled : held);
  EXPECT_GT(spooled, 0u);
  EXPECT_GT(held, 0u);
  write_journal(stored, dir.str() + "/stored.json", &spool);
  EXPECT_TRUE(read_file(dir.str() + "/stored.json") == read_file(dir.str() + "/whole.json"));
}

TEST(RunResults, ARecordThatCannotBeReadBackIsNamedAndKeepsItsIdAndVerdict) {
  test::TempDir dir;
  const RunResult run = test::representative_run();
  JournalSpool spool(dir.str(), run.experiments.size());
  auto results = std::make_shared<RunResults>(planned_ids(run), &spool);
  for (std::size_t i = 0; i < run.experiments.size(); ++i) results->keep(i, ExperimentResult(run.experiments[i]));
  const int fd = test::unnamed_file_fd_in(dir.str());
  ASSERT_GE(fd, 0) << "the spool's file was not found among this process's descriptors";
  ASSERT_EQ(::ftruncate(fd, 0), 0);  // every record is gone from under the spool

  std::vector<std::string> problems;
  results->check(problems);
  std::vector<std::string> expected;
  for (const auto& result : run.experiments)
    if (result.verdict == Verdict::passed)
      expected.push_back(result.experiment.id + ": its result could not be read back from the journal spool: cannot read the journal spool in " +
                         dir.str() + ": truncated");
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(problems, expected);
  for (std::size_t i = 0; i < results->size(); ++i) {
    ExperimentResult scratch;
    const ExperimentResult& result = results->at(i, scratch);
    EXPECT_EQ(result.experiment.id, run.experiments[i].experiment.id);
    EXPECT_EQ(result.verdict, run.experiments[i].verdict);
    if (run.experiments[i].verdict == Verdict::passed)
      EXPECT_EQ(result.reason, "its result could not be read back from the journal spool");
    else
      EXPECT_EQ(text_of(result), text_of(run.experiments[i]));
  }
}

TEST(RunResults, WithoutASpoolEveryResultIsHeldWhole) {
  const RunResult run = test::representative_run();
  std::vector<std::string> problems;
  const RunResult stored = kept_in(run, std::make_shared<RunResults>(planned_ids(run), nullptr), problems);
  EXPECT_TRUE(problems.empty());
  const ExperimentResults results(stored);
  ASSERT_EQ(results.size(), run.experiments.size());
  std::size_t i = 0;
  for (const ExperimentResult& result : results) EXPECT_EQ(text_of(result), text_of(run.experiments[i++]));
}

// An interrupted run keeps no result for what never started: the planned id
// and "skipped" stand for it in every report.
TEST(RunResults, APositionNeverKeptIsItsPlannedExperimentSkipped) {
  test::TempDir dir;
  JournalSpool spool(dir.str(), 3);
  RunResults results(TextList{"cart-reads", "cart-writes", "checkout"}, &spool);
  ExperimentResult passed;
  passed.experiment.id = "cart-reads";
  passed.verdict = Verdict::passed;
  results.keep(0, std::move(passed));
  std::vector<std::string> problems;
  results.check(problems);
  EXPECT_TRUE(problems.empty());
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results.id(0), "cart-reads");
  EXPECT_EQ(results.verdict(0), Verdict::passed);
  for (const std::size_t never_kept : {1u, 2u}) {
    EXPECT_EQ(results.verdict(never_kept), Verdict::skipped);
    ExperimentResult scratch;
    const ExperimentResult& result = results.at(never_kept, scratch);
    EXPECT_EQ(result.experiment.id, results.id(never_kept));
    EXPECT_EQ(result.verdict, Verdict::skipped);
    EXPECT_EQ(result.reason, "");
  }
  EXPECT_EQ(results.id(1), "cart-writes");
  EXPECT_EQ(results.id(2), "checkout");
}

}  // namespace
}  // namespace chaosgate::cli
