#include "util/release_memory.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <vector>

#include "util/process_memory.h"

namespace chaosgate {
namespace {

// Freed blocks below one still in use are not at the heap's top, so malloc
// keeps them resident until it is told to give them back.
TEST(ReleaseFreeMemory, FreedPagesBelowABlockInUseLeaveTheResidentSet) {
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
  release_free_memory();
  const auto after = process_memory();
  std::free(blocks.back());
  ASSERT_TRUE(before && after);
  EXPECT_GT(before->resident_kib - after->resident_kib, 6 * 1024);
#endif
}

}  // namespace
}  // namespace chaosgate
