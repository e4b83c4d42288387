#include "util/read_once_text.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <utility>

namespace chaosgate {

ReadOnceText::ReadOnceText(ReadOnceText&& other) noexcept
    : m_text(std::exchange(other.m_text, {})), m_released(std::exchange(other.m_released, 0)) {}

ReadOnceText& ReadOnceText::operator=(ReadOnceText&& other) noexcept {
  if (this != &other) {
    m_text = std::exchange(other.m_text, {});
    m_released = std::exchange(other.m_released, 0);
  }
  return *this;
}

void ReadOnceText::release_before(std::size_t offset) {
  static const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const auto start = reinterpret_cast<std::uintptr_t>(m_text.data());
  const std::uintptr_t first_whole_page = (start + page - 1) / page * page;
  const std::uintptr_t end = (start + std::min(offset, m_text.size())) / page * page;
  const std::uintptr_t from = std::max(first_whole_page, start + m_released);
  if (end <= from) return;
  // Anonymous pages inside a heap block in use, where the allocator keeps
  // nothing (its bookkeeping is before the block and after its end, in pages
  // not whole inside it): given back now, read as zeros if touched again.
  ::madvise(reinterpret_cast<void*>(from), end - from, MADV_DONTNEED);
  m_released = end - start;
}

}  // namespace chaosgate
