#include "cli/fault_recovery.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace chaosgate::cli {
namespace {

TEST(FaultRecovery, TheLedgerNamesALocalSuiteByItsAbsolutePath) {
  const auto expected = (std::filesystem::current_path() / "suites/shop.yaml").lexically_normal().string();
  EXPECT_EQ(suite_source_for_ledger("suites/./shop.yaml"), expected);
  EXPECT_EQ(suite_source_for_ledger("/abs/shop.yaml"), "/abs/shop.yaml");
}

TEST(FaultRecovery, ASuiteUrlKeepsNoCredential) {
  EXPECT_EQ(suite_source_for_ledger("https://ci:s3cr3t-pass@chaos.example.com/shop.yaml"),
            "https://***@chaos.example.com/shop.yaml");
  EXPECT_EQ(suite_source_for_ledger("gitlab://platform/chaos//shop.yaml@main"), "gitlab://platform/chaos//shop.yaml@main");
}

TEST(FaultRecovery, OnlyALiveChaosgateCountsAsTheLedgersWriter) {
  LedgerRun run;
  run.pid = ::getpid();  // the test binary: alive, and named chaosgate_tests
  EXPECT_TRUE(ledger_writer_alive(run));
  run.pid = 1;  // alive, but not a chaosgate
  EXPECT_FALSE(ledger_writer_alive(run));
  run.pid = 0;
  EXPECT_FALSE(ledger_writer_alive(run));
}

}  // namespace
}  // namespace chaosgate::cli
