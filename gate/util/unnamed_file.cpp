#include "util/unnamed_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace chaosgate {

namespace {
int open_unnamed(const std::string& dir) {
  // O_TMPFILE: never visible, gone with the process however it ends.
  int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)) return fd;
  // Filesystems without it: a named file, unlinked at once.
  std::string name = dir + "/.chaosgate-spool.XXXXXX";
  fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd >= 0) ::unlink(name.c_str());
  return fd;
}
}  // namespace

UnnamedFile::UnnamedFile(const std::string& dir, std::string what) : m_name(std::move(what) + " in " + dir) {
  m_fd = open_unnamed(dir);
  if (m_fd < 0) throw std::runtime_error("cannot make " + m_name + ": " + std::strerror(errno));
}

UnnamedFile::~UnnamedFile() { ::close(m_fd); }

bool UnnamedFile::write_at(std::uint64_t offset, std::string_view bytes) const {
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::pwrite(m_fd, bytes.data() + written, bytes.size() - written, static_cast<off_t>(offset + written));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    written += static_cast<std::size_t>(n);
  }
  return true;
}

std::size_t UnnamedFile::read_at(std::uint64_t offset, char* out, std::size_t size, std::size_t at_least) const {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pread(m_fd, out + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 && done >= at_least) break;  // the file's end, past what was asked for
    if (n <= 0) throw std::runtime_error("cannot read " + m_name + ": " + (n == 0 ? "truncated" : std::strerror(errno)));
    done += static_cast<std::size_t>(n);
  }
  return done;
}

}  // namespace chaosgate
