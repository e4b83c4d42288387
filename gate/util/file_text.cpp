#include "util/file_text.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

namespace chaosgate {

namespace {

constexpr std::size_t k_chunk_bytes = 64 * 1024;
constexpr std::size_t k_unsized_chunk_bytes = 4096;  // /proc files report size 0

FileText failed(FileText::Status status, std::string reason) {
  FileText out;
  out.status = status;
  out.reason = std::move(reason);
  return out;
}

FileText failed_with_errno(int error) {
  return failed(error == ENOENT ? FileText::Status::missing : FileText::Status::unreadable, std::strerror(error));
}

class Descriptor {
public:
  explicit Descriptor(int fd) : m_fd(fd) {}
  ~Descriptor() {
    if (m_fd >= 0) ::close(m_fd);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return m_fd; }

private:
  int m_fd;
};

// The one reading loop: `expect` is told the file's size before the first
// chunk, `take` is handed each chunk and returns false to stop (the result
// is then `unreadable` with an empty reason).
template <class Expect, class Take>
FileText read_chunks(const std::string& path, std::size_t max_bytes, Expect expect, Take take) {
  const auto too_large = [&] {
    return failed(FileText::Status::too_large, "larger than the limit of " + std::to_string(max_bytes) + " bytes");
  };
  const Descriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (file.get() < 0) return failed_with_errno(errno);
  struct stat status {};
  if (::fstat(file.get(), &status) != 0) return failed_with_errno(errno);
  if (S_ISDIR(status.st_mode)) return failed_with_errno(EISDIR);
  const auto size = static_cast<std::size_t>(std::max<off_t>(status.st_size, 0));
  if (size > max_bytes) return too_large();
  // One byte over the size: the read that returns 0 needs no second chunk.
  const std::size_t chunk_bytes = size == 0 ? k_unsized_chunk_bytes : std::min(k_chunk_bytes, size + 1);
  const std::unique_ptr<char[]> chunk(new char[chunk_bytes]);
  expect(size);
  std::size_t total = 0;
  while (true) {
    const ssize_t n = ::read(file.get(), chunk.get(), chunk_bytes);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return failed_with_errno(errno);
    if (n == 0) break;
    total += static_cast<std::size_t>(n);
    if (total > max_bytes) return too_large();
    if (!take(std::string_view(chunk.get(), static_cast<std::size_t>(n)))) return failed(FileText::Status::unreadable, "");
  }
  return {};
}

}  // namespace

FileText read_file_text(const std::string& path, std::size_t max_bytes) {
  std::string text;
  // Its size known, the text is read into one allocation: grown by doubling,
  // each step held the old and the new buffer at once, and a 3.6 MB suite
  // ended in a 4.2 MB one.
  FileText out = read_chunks(
      path, max_bytes, [&](std::size_t size) { text.reserve(size); },
      [&](std::string_view chunk) {
        text.append(chunk);
        return true;
      });
  if (out) out.text = std::move(text);
  return out;
}

FileText read_file_chunks(const std::string& path, std::size_t max_bytes,
                          const std::function<bool(std::string_view)>& take) {
  return read_chunks(path, max_bytes, [](std::size_t) {}, take);
}

}  // namespace chaosgate
