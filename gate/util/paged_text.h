#pragma once
// A large text read front to back, more than once, whose pages go back to
// the kernel as each reading passes them. A JSON suite file is read four
// times while it is loaded (its encoding, nlohmann's strict syntax check, our
// reader, then each experiment again as it is decoded); held whole, its text
// (3.6 MB for 10,000 experiments) was the load's peak.
//
// Two forms:
// - a copy: the file's bytes copied, as they are read and hashed, into an
//   unnamed file of our own, mapped read-only. Its pages can go behind every
//   reading: touched again, they are read again from the copy. Not a mapping
//   of the source file itself: a change to it after it was hashed would be
//   read unpinned, and a truncation would raise SIGBUS.
// - in memory: the bytes in a string (http(s) sources, a copy that could not
//   be made, tests). Its pages can go only behind the last reading: a page
//   given back reads as zeros.
#include <cstddef>
#include <string>
#include <string_view>

#include "util/file_text.h"

namespace chaosgate {

struct PagedFile;

class PagedText {
public:
  enum class Reading { again, last };  // whether another reading of the whole text follows this one

  PagedText() = default;
  // A text in memory: move a large one in (a copy would hold it twice while
  // made). Implicit: a text in memory is what most callers have.
  PagedText(std::string text);  // NOLINT(google-explicit-constructor)
  PagedText(const char* text) : PagedText(std::string(text)) {}  // NOLINT(google-explicit-constructor)
  PagedText(PagedText&& other) noexcept;
  PagedText& operator=(PagedText&& other) noexcept;
  // A copy is of the bytes, in memory (suites made in tests are copied).
  PagedText(const PagedText& other) : PagedText(std::string(other.view())) {}
  PagedText& operator=(const PagedText& other) { return *this = PagedText(other); }
  ~PagedText();

  // The whole text. In memory, what the last reading gave back reads as zeros.
  std::string_view view() const { return m_mapping ? std::string_view(m_mapping, m_size) : std::string_view(m_text); }
  std::size_t size() const { return view().size(); }
  bool is_copy() const { return m_mapping != nullptr; }
  // Lower-case hex sha256 of the bytes: a copy's was taken as it was made.
  std::string sha256() const;

  // A reading from the start begins; `last` when no other follows it.
  void begin_reading(Reading reading);
  // The reading under way is past `offset`: the whole pages before it go
  // where they can (in memory: only in the last reading).
  void passed(std::size_t offset);

private:
  friend PagedFile read_file_paged(const std::string&, std::size_t, const std::string&);

  std::string m_text;               // in memory
  const char* m_mapping = nullptr;  // or a copy, mapped (the mapping keeps the unnamed file)
  std::size_t m_size = 0;
  std::string m_sha256;             // a copy's
  Reading m_reading = Reading::again;
  std::size_t m_released = 0;  // the reading under way gave back the whole pages before this offset
};

struct PagedFile {
  FileText::Status status = FileText::Status::read;
  PagedText text;      // the bytes, when read
  std::string reason;  // otherwise: as FileText's
  explicit operator bool() const { return status == FileText::Status::read; }
};

// The bytes of the file at `path`, as read_file_text reads them, copied into
// an unnamed file in `copy_dir` and mapped. In memory instead, the same bytes
// either way: without `copy_dir`, for a file under 64 KiB (nothing to give
// back: pages go a step of 64 KiB at a time) and when the copy cannot be
// made, written or mapped (a full disk, a directory that takes no files).
PagedFile read_file_paged(const std::string& path, std::size_t max_bytes, const std::string& copy_dir);

}  // namespace chaosgate
