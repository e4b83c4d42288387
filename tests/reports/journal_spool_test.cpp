#include "journal_spool.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "journal_file.h"
#include "support/run_fixture.h"
#include "support/temp_dir.h"
#include "support/unnamed_file.h"

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

// Offsets are 32-bit: a record that would take the spool past its size is
// refused (the caller holds that result whole), the ones before it stay.
TEST(JournalSpool, ARecordPastTheSpoolsSizeIsRefused) {
  test::TempDir dir;
  const RunResult run = test::representative_run();
  std::string first;
  {
    JournalSpool unlimited(dir.str(), 1);
    ASSERT_TRUE(unlimited.keep(0, run.experiments[0]));
    ASSERT_TRUE(unlimited.read(0, first));
  }
  JournalSpool spool(dir.str(), 3, static_cast<std::uint32_t>(first.size()));
  EXPECT_TRUE(spool.keep(0, run.experiments[0]));  // exactly its size
  EXPECT_FALSE(spool.keep(1, run.experiments[0]));
  EXPECT_FALSE(spool.keep(2, run.experiments[1]));
  std::string record;
  ASSERT_TRUE(spool.read(0, record));
  EXPECT_EQ(record, first);
  EXPECT_FALSE(spool.read(1, record));
  EXPECT_FALSE(spool.read(2, record));
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

// The records of `run` kept in `spool`, each as read before the spool is sealed.
std::vector<std::string> keep_all(JournalSpool& spool, const RunResult& run) {
  std::vector<std::string> records(run.experiments.size());
  for (std::size_t i = 0; i < run.experiments.size(); ++i) {
    EXPECT_TRUE(spool.keep(i, run.experiments[i]));
    EXPECT_TRUE(spool.read(i, records[i]));
  }
  return records;
}

// Several read-ahead windows' worth of records; `with_a_large_one`: one
// larger than a window (a 1 MiB observation) first.
RunResult many_records(std::size_t copies, bool with_a_large_one = false) {
  RunResult run = with_a_large_one ? test::hostile_run() : RunResult{};
  const RunResult usual = test::representative_run();
  for (std::size_t copy = 0; copy < copies; ++copy)
    run.experiments.insert(run.experiments.end(), usual.experiments.begin(), usual.experiments.end());
  return run;
}

TEST(JournalSpool, ASealedSpoolGivesTheSameRecordsInAnyOrder) {
  test::TempDir dir;
  const RunResult run = many_records(60, true);
  JournalSpool spool(dir.str(), run.experiments.size() + 1);
  const std::vector<std::string> records = keep_all(spool, run);
  spool.seal();
  std::string record;
  for (std::size_t i = 0; i < records.size(); ++i) {
    ASSERT_TRUE(spool.read(i, record)) << i;
    ASSERT_TRUE(record == records[i]) << "forwards, record " << i;
  }
  for (std::size_t i = records.size(); i-- > 0;) {
    ASSERT_TRUE(spool.read(i, record)) << i;
    ASSERT_TRUE(record == records[i]) << "backwards, record " << i;
  }
  for (std::size_t step = 0, i = 0; step < records.size(); ++step, i = (i + 37) % records.size()) {
    ASSERT_TRUE(spool.read(i, record)) << i;
    ASSERT_TRUE(record == records[i]) << "strided, record " << i;
  }
  // Nothing is kept once sealed: the caller holds that result whole.
  EXPECT_FALSE(spool.keep(records.size(), run.experiments[0]));
  EXPECT_FALSE(spool.read(records.size(), record));
}

TEST(JournalSpool, TwoSealedSpoolsReadFromOneThreadGiveEachItsOwnRecords) {
  test::TempDir dir;
  const RunResult run = many_records(40);
  RunResult other = run;  // the same sizes, so the same offsets: only the bytes differ
  for (auto& result : other.experiments) std::replace(result.experiment.id.begin(), result.experiment.id.end(), 'e', 'E');
  JournalSpool first(dir.str(), run.experiments.size());
  JournalSpool second(dir.str(), other.experiments.size());
  const std::vector<std::string> first_records = keep_all(first, run);
  const std::vector<std::string> second_records = keep_all(second, other);
  ASSERT_NE(first_records[1], second_records[1]);
  first.seal();
  second.seal();
  std::string record;
  for (std::size_t i = 0; i < first_records.size(); ++i) {
    ASSERT_TRUE(first.read(i, record));
    ASSERT_TRUE(record == first_records[i]) << "first spool, record " << i;
    ASSERT_TRUE(second.read(i, record));
    ASSERT_TRUE(record == second_records[i]) << "second spool, record " << i;
  }
}

TEST(JournalSpool, ASealedSpoolCutShortIsAReadError) {
  test::TempDir dir;
  const RunResult run = many_records(40);
  JournalSpool spool(dir.str(), run.experiments.size());
  const std::vector<std::string> records = keep_all(spool, run);
  spool.seal();
  std::string record;
  ASSERT_TRUE(spool.read(0, record));
  // Cut into the last record: what the window cannot fill is an error, not a short record.
  const std::size_t last = records.size() - 1;
  std::size_t total = 0;
  for (const auto& text : records) total += text.size();
  const int fd = test::unnamed_file_fd_in(dir.str());
  ASSERT_GE(fd, 0) << "the spool's file was not found among this process's descriptors";
  ASSERT_EQ(::ftruncate(fd, static_cast<off_t>(total - records[last].size() / 2)), 0);
  try {
    spool.read(last, record);
    FAIL() << "a record cut short was read: " << record.size() << " bytes";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
  }
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
