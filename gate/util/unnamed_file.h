#pragma once
// A temp file no one can see, for what a run keeps on disk rather than in
// memory (the journal's spool, the experiments' spool): gone with the process
// however it ends, so a killed run leaves nothing to clean up. Reads and
// writes name their own offset (pread / pwrite), so threads share it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace chaosgate {

class UnnamedFile {
public:
  // In `dir` (the report directory: the reports' own filesystem, not a /tmp
  // that may be memory). `what` names the file in errors ("the journal
  // spool"). Throws std::runtime_error naming both when it cannot be made.
  UnnamedFile(const std::string& dir, std::string what);
  ~UnnamedFile();
  UnnamedFile(const UnnamedFile&) = delete;
  UnnamedFile& operator=(const UnnamedFile&) = delete;

  // Writes all of `bytes` at `offset`; false when it could not.
  bool write_at(std::uint64_t offset, std::string_view bytes) const;
  // Reads up to `size` bytes at `offset` into `out`, at least `at_least`
  // (fewer only at the file's end); how many. Throws std::runtime_error,
  // naming the file, below `at_least`.
  std::size_t read_at(std::uint64_t offset, char* out, std::size_t size, std::size_t at_least) const;
  // For mmap (util/paged_text.h maps a copy of a suite file).
  int descriptor() const { return m_fd; }

private:
  int m_fd = -1;
  std::string m_name;  // "<what> in <dir>", for errors
};

}  // namespace chaosgate
