#include "util/atomic_file.h"

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

TEST(AtomicFile, SyncedPartAndLaterAppendsAllArriveAtCommit) {
  test::TempDir dir;
  const auto source = dir.write("source.txt", std::string((2u << 20) + 5, 's'));
  const std::string target = dir.str() + "/target.txt";
  {
    AtomicFile file(target);
    file.append("head\n");
    file.append_file(source.string());
    file.sync();
    EXPECT_FALSE(std::filesystem::exists(target));  // durable, not yet in place
    file.append("tail\n");
    file.commit();
  }
  EXPECT_EQ(read_file(target), "head\n" + std::string((2u << 20) + 5, 's') + "tail\n");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 2);
}

TEST(AtomicFile, AppendFileCopiesEveryByteInOrderWhateverTheSource) {
  test::TempDir dir;
  std::string varied;
  for (std::size_t i = 0; i < (3u << 20) + 7; ++i) varied += static_cast<char>((i * 2654435761u) >> 13);
  const auto large = dir.write("large.bin", varied);
  const auto empty = dir.write("empty.txt", "");
  // A /proc file is not copied by copy_file_range: it is read instead.
  const std::string proc_version = read_file("/proc/version");
  ASSERT_FALSE(proc_version.empty());
  const std::string target = dir.str() + "/target.bin";
  {
    AtomicFile file(target);
    file.append("a");
    file.append_file(large.string());
    file.append_file(empty.string());
    file.append("b");
    file.append_file("/proc/version");
    file.append_file(large.string());
    file.commit();
  }
  EXPECT_TRUE(read_file(target) == "a" + varied + "b" + proc_version + varied);
}

TEST(AtomicFile, AppendFileNamesAMissingSource) {
  test::TempDir dir;
  AtomicFile file(dir.str() + "/target.txt");
  try {
    file.append_file(dir.str() + "/missing.txt");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("missing.txt"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace chaosgate
