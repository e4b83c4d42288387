#include "util/unnamed_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "support/temp_dir.h"
#include "support/unnamed_file.h"

namespace chaosgate {

TEST(UnnamedFile, WhatIsWrittenAtAnOffsetIsReadBackThereAndNothingShowsInTheDirectory) {
  test::TempDir dir;
  const UnnamedFile file(dir.str(), "the test's spool");
  ASSERT_TRUE(file.write_at(5, "world"));
  ASSERT_TRUE(file.write_at(0, "hello"));
  std::string out(10, '\0');
  EXPECT_EQ(file.read_at(0, out.data(), out.size(), out.size()), 10U);
  EXPECT_EQ(out, "helloworld");
  EXPECT_TRUE(std::filesystem::is_empty(dir.path())) << "the file has no name";
}

TEST(UnnamedFile, AReadPastTheEndStopsThereUnlessItWasOwedAndThenNamesTheFile) {
  test::TempDir dir;
  const UnnamedFile file(dir.str(), "the test's spool");
  ASSERT_TRUE(file.write_at(0, "abc"));
  std::string out(8, '\0');
  EXPECT_EQ(file.read_at(1, out.data(), out.size(), 2), 2U) << "a read-ahead ends at the file's end";
  EXPECT_EQ(out.substr(0, 2), "bc");
  try {
    file.read_at(1, out.data(), out.size(), 3);
    FAIL() << "three bytes were owed, two were there";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "cannot read the test's spool in " + dir.str() + ": truncated");
  }
}

TEST(UnnamedFile, OneThatCannotBeMadeNamesItsDirectory) {
  test::TempDir dir;
  const std::string missing = dir.str() + "/missing";
  try {
    UnnamedFile file(missing, "the test's spool");
    FAIL() << "made in a directory that does not exist";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "cannot make the test's spool in " + missing + ": No such file or directory");
  }
}

TEST(UnnamedFile, ItIsClosedWithItsObject) {
  test::TempDir dir;
  {
    const UnnamedFile file(dir.str(), "the test's spool");
    EXPECT_GE(test::unnamed_file_fd_in(dir.str()), 0);
  }
  EXPECT_EQ(test::unnamed_file_fd_in(dir.str()), -1);
}

}  // namespace chaosgate
