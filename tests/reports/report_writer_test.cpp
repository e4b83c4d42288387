#include "report_writer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "support/run_fixture.h"
#include "support/temp_dir.h"

namespace chaosgate {
namespace {

bool written(const test::TempDir& dir, const std::string& name) {
  const auto path = dir.path() / "reports" / name;
  return std::filesystem::is_regular_file(path) && std::filesystem::file_size(path) > 0;
}

TEST(ReportWriter, WritesEveryReport) {
  test::TempDir dir;
  ReportOptions options;
  options.html = true;
  write_reports(test::representative_run(), dir.str() + "/reports", options);
  for (const char* name : {"journal.json", "junit.xml", "chaosgate.sarif", "summary.md", "report.html"})
    EXPECT_TRUE(written(dir, name)) << name;
}

// JUnit and the summary are made one after the other on one thread: a JUnit
// that cannot be put in place must not cost the summary (nor the others).
TEST(ReportWriter, AJunitThatCannotBeWrittenLeavesTheOtherReportsWritten) {
  test::TempDir dir;
  std::filesystem::create_directories(dir.path() / "reports" / "junit.xml" / "in-the-way");
  try {
    write_reports(test::representative_run(), dir.str() + "/reports");
    FAIL() << "no error for junit.xml";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("junit.xml"), std::string::npos) << e.what();
  }
  for (const char* name : {"journal.json", "chaosgate.sarif", "summary.md"}) EXPECT_TRUE(written(dir, name)) << name;
}

// The same for the summary: the error is the summary's, JUnit is written.
TEST(ReportWriter, ASummaryThatCannotBeWrittenLeavesTheOtherReportsWritten) {
  test::TempDir dir;
  std::filesystem::create_directories(dir.path() / "reports" / "summary.md" / "in-the-way");
  try {
    write_reports(test::representative_run(), dir.str() + "/reports");
    FAIL() << "no error for summary.md";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("summary.md"), std::string::npos) << e.what();
  }
  for (const char* name : {"journal.json", "chaosgate.sarif", "junit.xml"}) EXPECT_TRUE(written(dir, name)) << name;
}

}  // namespace
}  // namespace chaosgate
