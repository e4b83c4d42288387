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

// JUnit and the summary are made one after the other on one thread: either
// one that cannot be put in place must not cost the other (nor SARIF and the
// journal), and the error names it.
TEST(ReportWriter, AReportThatCannotBeWrittenLeavesTheOthersWritten) {
  for (const std::string blocked : {"junit.xml", "summary.md"}) {
    test::TempDir dir;
    std::filesystem::create_directories(dir.path() / "reports" / blocked / "in-the-way");
    try {
      write_reports(test::representative_run(), dir.str() + "/reports");
      ADD_FAILURE() << "no error for " << blocked;
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(blocked), std::string::npos) << e.what();
    }
    for (const std::string name : {"journal.json", "chaosgate.sarif", "junit.xml", "summary.md"}) {
      if (name != blocked) {
        EXPECT_TRUE(written(dir, name)) << name << " with " << blocked << " blocked";
      }
    }
  }
}

// Both blocked: the error is JUnit's, as when each had a thread of its own.
TEST(ReportWriter, WhenJunitAndTheSummaryBothFailJunitsErrorIsThrown) {
  test::TempDir dir;
  for (const char* blocked : {"junit.xml", "summary.md"})
    std::filesystem::create_directories(dir.path() / "reports" / blocked / "in-the-way");
  try {
    write_reports(test::representative_run(), dir.str() + "/reports");
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("junit.xml"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(written(dir, "journal.json"));
  EXPECT_TRUE(written(dir, "chaosgate.sarif"));
}

}  // namespace
}  // namespace chaosgate
