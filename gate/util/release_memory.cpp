#include "util/release_memory.h"

#include <cstdlib>  // defines __GLIBC__ on glibc

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace chaosgate {

void release_free_memory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

void return_large_blocks_to_kernel() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);  // glibc's default, fixed: no longer raised on free
#endif
}

}  // namespace chaosgate
