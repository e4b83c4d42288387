#include "journal_spool.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "journal_file.h"
#include "support/run_fixture.h"
#include "support/temp_dir.h"

namespace chaosgate {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string journal_text(const RunResult& run, const std::string& path, const JournalSpool* spool = nullptr) {
  write_journal(run, path, spool);
  return read_file(path);
}

TEST(JournalSpool, SpooledRecordsGiveTheSameJournalWithTheirAttemptsDropped) {
  test::TempDir dir;
  const RunResult run = test::representative_run();
  const std::string whole = journal_text(run, dir.str() + "/whole.json");

  JournalSpool spool(dir.str(), run.experiments.size());
  RunResult slim = run;
  // Every other record spooled, out of order, as parallel experiments finish.
  for (std::size_t i = slim.experiments.size(); i-- > 0;) {
    if (i % 2 != 0) continue;
    ASSERT_TRUE(spool.keep(i, slim.experiments[i]));
    slim.experiments[i].attempts.clear();
  }
  std::string record;
  EXPECT_TRUE(spool.read(0, record));
  EXPECT_FALSE(spool.read(1, record));
  EXPECT_FALSE(spool.read(run.experiments.size(), record));  // out of range: not kept
  EXPECT_EQ(journal_text(slim, dir.str() + "/spooled.json", &spool), whole);
  // Without the spool the dropped attempts would be missing: the spool's copy was used.
  EXPECT_NE(journal_text(slim, dir.str() + "/lossy.json"), whole);
}

TEST(JournalSpool, HostileTextIsCopiedByteForByte) {
  test::TempDir dir;
  const RunResult run = test::hostile_run();  // invalid UTF-8, a 1 MiB observation, control characters
  const std::string whole = journal_text(run, dir.str() + "/whole.json");
  JournalSpool spool(dir.str(), run.experiments.size());
  RunResult slim = run;
  for (std::size_t i = 0; i < slim.experiments.size(); ++i) {
    ASSERT_TRUE(spool.keep(i, slim.experiments[i]));
    slim.experiments[i].attempts.clear();
  }
  EXPECT_EQ(journal_text(slim, dir.str() + "/spooled.json", &spool), whole);
}

TEST(JournalSpool, KeepsRecordsFromSeveralThreadsAtOnce) {
  test::TempDir dir;
  RunResult run = test::representative_run();
  const std::vector<ExperimentResult> originals = run.experiments;
  for (int copy = 0; copy < 40; ++copy) run.experiments.insert(run.experiments.end(), originals.begin(), originals.end());
  const std::string whole = journal_text(run, dir.str() + "/whole.json");

  JournalSpool spool(dir.str(), run.experiments.size());
  RunResult slim = run;
  std::vector<std::thread> workers;
  for (std::size_t worker = 0; worker < 4; ++worker)
    workers.emplace_back([&, worker] {
      for (std::size_t i = worker; i < slim.experiments.size(); i += 4) {
        if (!spool.keep(i, slim.experiments[i])) return;
        slim.experiments[i].attempts.clear();
      }
    });
  for (auto& worker : workers) worker.join();
  std::string record;
  for (std::size_t i = 0; i < slim.experiments.size(); ++i) ASSERT_TRUE(spool.read(i, record)) << i;
  EXPECT_EQ(journal_text(slim, dir.str() + "/spooled.json", &spool), whole);
}

TEST(JournalSpool, LeavesNothingBehindInItsDirectory) {
  test::TempDir dir;
  const std::string spool_dir = dir.str() + "/out";
  std::filesystem::create_directories(spool_dir);
  {
    const RunResult run = test::representative_run();
    JournalSpool spool(spool_dir, run.experiments.size());
    ASSERT_TRUE(spool.keep(0, run.experiments[0]));
    EXPECT_TRUE(std::filesystem::is_empty(spool_dir));  // never a visible file
  }
  EXPECT_TRUE(std::filesystem::is_empty(spool_dir));
}

TEST(JournalSpool, ADirectoryThatCannotHoldItIsNamedInTheError) {
  test::TempDir dir;
  const std::string missing = dir.str() + "/no/such/dir";
  try {
    JournalSpool spool(missing, 1);
    FAIL() << "a spool was made in a missing directory";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace chaosgate
