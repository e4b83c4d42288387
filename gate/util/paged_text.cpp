#include "util/paged_text.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <new>
#include <optional>
#include <stdexcept>
#include <utility>

#include "util/sha256.h"
#include "util/unnamed_file.h"

namespace chaosgate {

namespace {
// A copy's pages go a step at a time; a file under one is read into memory.
constexpr std::size_t k_step = 64 * 1024;
}  // namespace

PagedText::PagedText(std::string text) : m_text(std::move(text)) {}

PagedText::PagedText(PagedText&& other) noexcept
    : m_text(std::exchange(other.m_text, {})),
      m_mapping(std::exchange(other.m_mapping, nullptr)),
      m_size(std::exchange(other.m_size, 0)),
      m_sha256(std::exchange(other.m_sha256, {})),
      m_reading(std::exchange(other.m_reading, Reading::again)),
      m_released(std::exchange(other.m_released, 0)) {}

PagedText& PagedText::operator=(PagedText&& other) noexcept {
  if (this != &other) {
    this->~PagedText();
    new (this) PagedText(std::move(other));
  }
  return *this;
}

PagedText::~PagedText() {
  if (m_mapping) ::munmap(const_cast<char*>(m_mapping), m_size);
}

std::string PagedText::sha256() const { return m_mapping ? m_sha256 : sha256_hex(m_text); }

void PagedText::begin_reading(Reading reading) {
  m_reading = reading;
  m_released = 0;
}

void PagedText::passed(std::size_t offset) {
  // In memory, a page given back is zeros: only the last reading may.
  if (!m_mapping && m_reading == Reading::again) return;
  static const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const std::string_view text = view();
  const auto start = reinterpret_cast<std::uintptr_t>(text.data());
  const std::uintptr_t end = (start + std::min(offset, text.size())) / page * page;
  if (m_mapping) {
    // A fault in a file's mapping also maps the pages around it that the
    // page cache holds (the kernel's fault-around), behind the reading too:
    // each release is of everything before the reading, once it has moved
    // on a step. A copy is mapped from a page's start.
    if (end < start + m_released + k_step) return;
    ::madvise(reinterpret_cast<void*>(start), end - start, MADV_DONTNEED);
    m_released = end - start;
    return;
  }
  // In memory, the part-pages at the string's ends are shared with the rest
  // of the heap: only the whole pages inside it go, and read as zeros after.
  const std::uintptr_t first_whole_page = (start + page - 1) / page * page;
  const std::uintptr_t from = std::max(first_whole_page, start + m_released);
  if (end <= from) return;
  ::madvise(reinterpret_cast<void*>(from), end - from, MADV_DONTNEED);
  m_released = end - start;
}

namespace {

PagedFile in_memory(const std::string& path, std::size_t max_bytes) {
  FileText file = read_file_text(path, max_bytes);
  PagedFile out;
  out.status = file.status;
  out.reason = std::move(file.reason);
  out.text = PagedText(std::move(file.text));
  return out;
}

}  // namespace

PagedFile read_file_paged(const std::string& path, std::size_t max_bytes, const std::string& copy_dir) {
  std::error_code error;
  const auto size_now = std::filesystem::file_size(path, error);
  if (copy_dir.empty() || error || size_now < k_step) return in_memory(path, max_bytes);
  std::optional<UnnamedFile> copy;
  try {
    copy.emplace(copy_dir, "the suite file's copy");
  } catch (const std::runtime_error&) {
    return in_memory(path, max_bytes);
  }
  Sha256 digest;
  std::size_t size = 0;
  const FileText read = read_file_chunks(path, max_bytes, [&](std::string_view chunk) {
    if (!copy->write_at(size, chunk)) return false;
    digest.update(chunk);
    size += chunk.size();
    return true;
  });
  // The copy could not be written (a full disk): the file is read again, into memory.
  if (read.status == FileText::Status::unreadable && read.reason.empty()) return in_memory(path, max_bytes);
  PagedFile out;
  if (!read) {
    out.status = read.status;
    out.reason = read.reason;
    return out;
  }
  if (size == 0) return out;  // nothing to map: an empty text
  void* mapping = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, copy->descriptor(), 0);
  if (mapping == MAP_FAILED) return in_memory(path, max_bytes);
  // The mapping holds the file from here; its descriptor is closed with `copy`.
  out.text.m_mapping = static_cast<const char*>(mapping);
  out.text.m_size = size;
  out.text.m_sha256 = digest.hex_digest();
  return out;
}

}  // namespace chaosgate
