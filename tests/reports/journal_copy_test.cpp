#include "journal_copy.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/files.h"
#include "support/temp_dir.h"

namespace chaosgate {
namespace {

std::string read_file(const std::filesystem::path& path) { return test::read_file(path.string()); }

// Larger than one 1 MiB chunk, not a multiple of it.
std::string content() {
  std::string text;
  for (int i = 0; text.size() < (3u << 20) + 17; ++i) text += "line " + std::to_string(i) + "\n";
  return text;
}

TEST(JournalCopy, CommitPutsTheWholeFileInPlace) {
  test::TempDir dir;
  const auto from = dir.write("in/journal.json", content());
  {
    JournalCopy copy(from.string(), dir.str() + "/out/deeper");
    copy.commit();
  }
  EXPECT_EQ(read_file(dir.path() / "out/deeper/journal.json"), content());
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path() / "out/deeper"), {}), 1);
}

// start_commit() puts the copy in place from the copying thread, replacing
// an earlier journal whole; commit() waits for it.
TEST(JournalCopy, StartCommitReplacesAnEarlierJournalWhole) {
  test::TempDir dir;
  const auto from = dir.write("in/journal.json", content());
  dir.write("out/journal.json", "an earlier run's journal");
  {
    JournalCopy copy(from.string(), dir.str() + "/out");
    copy.start_commit();
    copy.start_commit();  // once is enough
    copy.commit();
    EXPECT_EQ(read_file(dir.path() / "out/journal.json"), content());
  }
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path() / "out"), {}), 1);
}

TEST(JournalCopy, WithoutCommitLeavesNothingBehind) {
  test::TempDir dir;
  const auto from = dir.write("journal.json", content());
  { JournalCopy copy(from.string(), dir.str() + "/new"); }
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "new"));
  dir.write("kept/other.txt", "x");
  { JournalCopy copy(from.string(), dir.str() + "/kept"); }
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path() / "kept"), {}), 1);
}

TEST(JournalCopy, JournalAlreadyInPlaceIsLeftAlone) {
  test::TempDir dir;
  const auto from = dir.write("out/journal.json", content());
  JournalCopy copy(from.string(), dir.str() + "/out");
  copy.commit();
  EXPECT_EQ(read_file(from), content());
}

TEST(JournalCopy, MissingJournalFailsAtCommitNamingIt) {
  test::TempDir dir;
  JournalCopy copy(dir.str() + "/missing.json", dir.str() + "/out");
  try {
    copy.commit();
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("missing.json"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace chaosgate
