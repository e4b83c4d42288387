#include "util/file_text.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "support/temp_dir.h"

namespace chaosgate {
namespace {

std::string written(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

TEST(FileText, ReadsEveryByte) {
  test::TempDir dir;
  std::string bytes(200 * 1024 + 7, 'x');  // several chunks and a piece
  bytes[3] = '\0';
  bytes[100'000] = '\xff';
  const FileText file = read_file_text(written(dir.str() + "/big", bytes));
  ASSERT_TRUE(file) << file.reason;
  EXPECT_EQ(file.text, bytes);
  EXPECT_TRUE(read_file_text(written(dir.str() + "/empty", "")));
  EXPECT_EQ(read_file_text(dir.str() + "/empty").text, "");
}

TEST(FileText, AFileWithoutASizeIsReadWhole) {
  const FileText file = read_file_text("/proc/self/status");
  ASSERT_TRUE(file) << file.reason;
  EXPECT_NE(file.text.find("\nPid:"), std::string::npos);
}

TEST(FileText, SaysWhyAFileCannotBeRead) {
  test::TempDir dir;
  const FileText missing = read_file_text(dir.str() + "/nothing");
  EXPECT_EQ(missing.status, FileText::Status::missing);
  EXPECT_EQ(missing.reason, "No such file or directory");
  const FileText directory = read_file_text(dir.str());
  EXPECT_EQ(directory.status, FileText::Status::unreadable);
  EXPECT_EQ(directory.reason, "Is a directory");
  if (::geteuid() != 0) {  // root reads any file whatever its mode
    const std::string locked = written(dir.str() + "/locked", "secret");
    ::chmod(locked.c_str(), 0);
    const FileText denied = read_file_text(locked);
    EXPECT_EQ(denied.status, FileText::Status::unreadable);
    EXPECT_EQ(denied.reason, "Permission denied");
  }
}

TEST(FileText, StopsPastTheLimit) {
  test::TempDir dir;
  const std::string path = written(dir.str() + "/ten", "0123456789");
  EXPECT_TRUE(read_file_text(path, 10));
  const FileText over = read_file_text(path, 9);
  EXPECT_EQ(over.status, FileText::Status::too_large);
  EXPECT_EQ(over.reason, "larger than the limit of 9 bytes");
  EXPECT_TRUE(over.text.empty());
  // Without a size to check first (a /proc file), the limit is found while reading.
  EXPECT_EQ(read_file_text("/proc/self/status", 16).status, FileText::Status::too_large);
}

}  // namespace
}  // namespace chaosgate
