#include "util/process_memory.h"

#include <gtest/gtest.h>

#include <sys/mman.h>

#include <cstring>

namespace chaosgate {
namespace {

TEST(ProcessMemory, ReadsResidentAndPeakFromTheStatusText) {
  const auto memory = parse_process_status(
      "Name:\tchaosgate\nVmPeak:\t  123456 kB\nVmHWM:\t   20064 kB\nVmRSS:\t   18236 kB\nRssAnon:\t   12544 kB\nThreads:\t3\n");
  ASSERT_TRUE(memory.has_value());
  EXPECT_EQ(memory->resident_kib, 18236);
  EXPECT_EQ(memory->peak_kib, 20064);
}

TEST(ProcessMemory, AFieldMissingOrNotInKilobytesGivesNothing) {
  EXPECT_FALSE(parse_process_status("VmRSS:\t 18236 kB\n").has_value());
  EXPECT_FALSE(parse_process_status("VmHWM:\t 20064 kB\nVmRSS:\t lots kB\n").has_value());
  EXPECT_FALSE(parse_process_status("VmHWM:\t 20064 kB\nVmRSS:\t 18236 MB\n").has_value());
  EXPECT_FALSE(parse_process_status("VmHWM:\t 20064 kB\nVmRSS:").has_value());
  EXPECT_FALSE(parse_process_status("").has_value());
}

TEST(ProcessMemory, ThePeakNeverReadsLowerThanOneReadBefore) {
  std::atomic<long> highest{0};
  EXPECT_EQ(with_highest_peak({90, 100}, highest).peak_kib, 100);
  // A later read a little lower (the kernel's counters are per-CPU sums).
  const auto lower = with_highest_peak({92, 98}, highest);
  EXPECT_EQ(lower.peak_kib, 100);
  EXPECT_EQ(lower.resident_kib, 92);
  // Resident above the stored mark is a peak too.
  EXPECT_EQ(with_highest_peak({120, 110}, highest).peak_kib, 120);
  EXPECT_EQ(with_highest_peak({50, 60}, highest).peak_kib, 120);
  std::atomic<long> other{0};
  EXPECT_EQ(with_highest_peak({50, 60}, other).peak_kib, 60) << "each counter on its own";
}

TEST(ProcessMemory, ThisProcessGrowsByWhatItTouches) {
  const auto before = process_memory();
  ASSERT_TRUE(before.has_value());
  EXPECT_GT(before->resident_kib, 0);
  EXPECT_GE(before->peak_kib, before->resident_kib);
  // Fresh pages of its own (malloc could hand back pages earlier tests made resident).
  constexpr std::size_t k_bytes = 32 << 20;
  void* block = ::mmap(nullptr, k_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(block, MAP_FAILED);
  std::memset(block, 1, k_bytes);  // resident once written
  const auto after = process_memory();
  ::munmap(block, k_bytes);
  ASSERT_TRUE(after.has_value());
  EXPECT_GE(after->resident_kib - before->resident_kib, 30 << 10) << "32 MiB written";
  EXPECT_GE(after->peak_kib, after->resident_kib);
  EXPECT_GE(after->peak_kib - before->peak_kib, 0);
}

}  // namespace
}  // namespace chaosgate
