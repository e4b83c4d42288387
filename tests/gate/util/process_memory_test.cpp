#include "util/process_memory.h"

#include <gtest/gtest.h>

#include <sys/mman.h>

#include <cstdlib>
#include <cstring>
#include <vector>

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

// Freed blocks below one still in use are not at the heap's top, so malloc
// keeps them resident until it is told to give them back.
TEST(GiveBackFreeHeap, FreedPagesBelowABlockInUseLeaveTheResidentSet) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "ASan's allocator keeps freed memory in quarantine, not in glibc's heap";
#else
  std::vector<void*> blocks;
  for (int i = 0; i < 2048; ++i) {  // 8 MiB in blocks under malloc's mmap threshold
    blocks.push_back(std::malloc(4000));
    ASSERT_NE(blocks.back(), nullptr);
    std::memset(blocks.back(), 1, 4000);
  }
  for (std::size_t i = 0; i + 1 < blocks.size(); ++i) std::free(blocks[i]);
  const auto before = process_memory();
  give_back_free_heap();
  const auto after = process_memory();
  std::free(blocks.back());
  ASSERT_TRUE(before && after);
  EXPECT_GT(before->resident_kib - after->resident_kib, 6 * 1024);
#endif
}

}  // namespace
}  // namespace chaosgate
