#include "util/read_once_text.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <utility>

namespace chaosgate {

namespace {

std::size_t page_size() {
  static const std::size_t size = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  return size;
}

}  // namespace

ReadOnceText::ReadOnceText(std::string_view text) : m_size(text.size()) {
  if (text.empty()) return;
  m_mapped = (text.size() + page_size() - 1) / page_size() * page_size();
  void* mapping = ::mmap(nullptr, m_mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapping == MAP_FAILED) throw std::bad_alloc();
  m_data = static_cast<char*>(mapping);
  std::memcpy(m_data, text.data(), text.size());
}

ReadOnceText ReadOnceText::in_place(std::string&& text) {
  ReadOnceText out;
  out.m_in_place = std::move(text);
  return out;
}

ReadOnceText::~ReadOnceText() {
  if (m_mapped) ::munmap(m_data, m_mapped);
}

ReadOnceText::ReadOnceText(ReadOnceText&& other) noexcept
    : m_data(std::exchange(other.m_data, nullptr)),
      m_size(std::exchange(other.m_size, 0)),
      m_mapped(std::exchange(other.m_mapped, 0)),
      m_released(std::exchange(other.m_released, 0)),
      m_in_place(std::exchange(other.m_in_place, {})) {}

ReadOnceText& ReadOnceText::operator=(ReadOnceText&& other) noexcept {
  if (this != &other) {
    if (m_mapped) ::munmap(m_data, m_mapped);
    m_data = std::exchange(other.m_data, nullptr);
    m_size = std::exchange(other.m_size, 0);
    m_mapped = std::exchange(other.m_mapped, 0);
    m_released = std::exchange(other.m_released, 0);
    m_in_place = std::exchange(other.m_in_place, {});
  }
  return *this;
}

void ReadOnceText::release_before(std::size_t offset) {
  if (!m_mapped) return;  // empty, or moved in
  const std::size_t end = std::min(offset, m_size) / page_size() * page_size();
  if (end <= m_released) return;
  // Private anonymous pages: given back now, read as zeros if touched again.
  ::madvise(m_data + m_released, end - m_released, MADV_DONTNEED);
  m_released = end;
}

}  // namespace chaosgate
