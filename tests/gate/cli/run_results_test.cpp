#include "cli/run_results.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "journal_file.h"
#include "support/run_fixture.h"
#include "support/temp_dir.h"

namespace chaosgate::cli {
namespace {

std::string text_of(const ExperimentResult& result) { return nlohmann::json(result).dump(); }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Keeps every result of `run` from two threads, the last first (as parallel
// experiments finish out of order), and takes them back.
std::vector<ExperimentResult> kept_and_taken(const RunResult& run, RunResults& results, std::vector<std::string>& problems) {
  std::vector<std::thread> threads;
  for (int half = 0; half < 2; ++half)
    threads.emplace_back([&, half] {
      for (std::size_t i = run.experiments.size(); i-- > 0;)
        if (static_cast<int>(i % 2) == half) results.keep(i, ExperimentResult(run.experiments[i]));
    });
  for (auto& thread : threads) thread.join();
  return results.take(problems);
}

TEST(RunResults, PassedResultsAreSpooledAndReadBackWithoutTheirAttempts) {
  test::TempDir dir;
  const RunResult run = test::representative_run();
  JournalSpool spool(dir.str(), run.experiments.size());
  RunResults results(run.experiments.size(), &spool);
  for (std::size_t i = 0; i < run.experiments.size(); ++i) results.keep(i, ExperimentResult(run.experiments[i]));

  std::size_t spooled = 0;
  for (std::size_t i = 0; i < run.experiments.size(); ++i) {
    EXPECT_EQ(results.verdict(i), run.experiments[i].verdict);
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
  const std::vector<ExperimentResult> taken = results.take(problems);
  EXPECT_TRUE(problems.empty());
  ASSERT_EQ(taken.size(), run.experiments.size());
  for (std::size_t i = 0; i < taken.size(); ++i) {
    ExperimentResult expected = run.experiments[i];
    if (expected.verdict == Verdict::passed) {
      ASSERT_FALSE(expected.attempts.empty()) << "the fixture's passed result has attempts to leave out";
      expected.attempts.clear();
    }
    EXPECT_EQ(text_of(taken[i]), text_of(expected)) << expected.experiment.id;
  }
  EXPECT_EQ(results.size(), 0u);
}

TEST(RunResults, TheJournalOfTheResultsTakenBackIsTheWholeRunsJournal) {
  for (const RunResult& run : {test::representative_run(), test::hostile_run(), test::run_with_experiments(50)}) {
    test::TempDir dir;
    write_journal(run, dir.str() + "/whole.json", nullptr);
    JournalSpool spool(dir.str(), run.experiments.size());
    RunResults results(run.experiments.size(), &spool);
    std::vector<std::string> problems;
    RunResult taken = run;
    taken.experiments = kept_and_taken(run, results, problems);
    EXPECT_TRUE(problems.empty()) << problems.front();
    write_journal(taken, dir.str() + "/taken.json", &spool);
    EXPECT_EQ(read_file(dir.str() + "/taken.json"), read_file(dir.str() + "/whole.json"));
  }
}

TEST(RunResults, WithoutASpoolEveryResultIsHeldWhole) {
  const RunResult run = test::representative_run();
  RunResults results(run.experiments.size(), nullptr);
  std::vector<std::string> problems;
  const std::vector<ExperimentResult> taken = kept_and_taken(run, results, problems);
  EXPECT_TRUE(problems.empty());
  ASSERT_EQ(taken.size(), run.experiments.size());
  for (std::size_t i = 0; i < taken.size(); ++i) EXPECT_EQ(text_of(taken[i]), text_of(run.experiments[i]));
}

}  // namespace
}  // namespace chaosgate::cli
