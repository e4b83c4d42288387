#include "util/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace chaosgate {

namespace {
// Three reports are written at once at the end of a run (journal, SARIF,
// JUnit), each through its own buffer: at 1 MiB they were 2 MiB of a
// 10,000-experiment run's peak, at 256 KiB ~0.1 MiB more than at 64 KiB;
// 64 KiB writes cost no measurable time.
constexpr std::size_t k_buffer = 64u << 10;
}

AtomicFile::AtomicFile(std::string path) : m_path(std::move(path)), m_temp(m_path + ".tmp." + std::to_string(getpid())) {
  m_fd = ::open(m_temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (m_fd < 0) throw std::runtime_error("cannot write " + m_path + ": " + std::strerror(errno));
  m_buffer.reserve(k_buffer);
}

AtomicFile::~AtomicFile() {
  if (m_fd >= 0) {
    ::close(m_fd);
    ::unlink(m_temp.c_str());
  }
}

void AtomicFile::append(std::string_view text) {
  if (m_buffer.size() + text.size() > k_buffer) flush();
  if (text.size() >= k_buffer) {
    // Written from where it is: a copy of a report made whole (summary.md
    // of a large run, ~1 MB) would be held twice at the end of the run.
    m_synced = false;
    write_all(text.data(), text.size());
  } else {
    m_buffer.append(text);
  }
}

void AtomicFile::flush() {
  if (m_buffer.empty()) return;
  m_synced = false;
  write_all(m_buffer.data(), m_buffer.size());
  m_buffer.clear();
}

void AtomicFile::write_all(const char* data, std::size_t size) {
  std::size_t written = 0;
  while (written < size) {
    const ssize_t n = ::write(m_fd, data + written, size - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(errno);
    written += static_cast<std::size_t>(n);
  }
}

void AtomicFile::sync() {
  flush();
  if (::fsync(m_fd) != 0) fail(errno);
  m_synced = true;
}

void AtomicFile::commit() {
  flush();
  // fsync before rename: after a crash the file is either old or complete.
  int error = 0;
  if (!m_synced && ::fsync(m_fd) != 0) error = errno;
  if (::close(m_fd) != 0 && error == 0) error = errno;  // the descriptor is released either way
  m_fd = -1;
  if (error == 0 && std::rename(m_temp.c_str(), m_path.c_str()) != 0) error = errno;
  if (error != 0) {
    ::unlink(m_temp.c_str());
    throw std::runtime_error("cannot write " + m_path + ": " + std::strerror(error));
  }
}

void AtomicFile::fail(int error) {
  ::close(m_fd);
  ::unlink(m_temp.c_str());
  m_fd = -1;
  throw std::runtime_error("cannot write " + m_path + ": " + std::strerror(error));
}

void write_file_atomically(const std::string& path, std::string_view content) {
  AtomicFile file(path);
  file.append(content);
  file.commit();
}

void AtomicFile::append_file(const std::string& from) {
  struct Input {
    int fd;
    ~Input() {
      if (fd >= 0) ::close(fd);
    }
  } const in{::open(from.c_str(), O_RDONLY | O_CLOEXEC)};
  if (in.fd < 0) throw std::runtime_error("cannot read " + from + ": " + std::strerror(errno));
  flush();
  // In the kernel, page cache to page cache (a 200 MB journal: ~0.1 s of CPU
  // less than through a buffer here; a reflink where the file system can);
  // read and write where it cannot (another file system, /proc: refused, or on
  // some kernels "copied" as 0 bytes, hence `copied`), from where it stopped.
  for (bool copied = false;;) {
    const ssize_t n = ::copy_file_range(in.fd, nullptr, m_fd, nullptr, std::size_t{1} << 30, 0);
    if (n > 0) {
      m_synced = false;
      copied = true;
      continue;
    }
    if (n == 0 && copied) return;
    if (n < 0 && errno == EINTR) continue;
    break;
  }
  const std::unique_ptr<char[]> chunk(new char[k_buffer]);
  while (true) {
    const ssize_t n = ::read(in.fd, chunk.get(), k_buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error("cannot read " + from + ": " + std::strerror(errno));
    if (n == 0) return;
    m_synced = false;
    write_all(chunk.get(), static_cast<std::size_t>(n));
  }
}

void copy_file_atomically(const std::string& from, const std::string& to) {
  AtomicFile file(to);
  file.append_file(from);
  file.commit();
}

}  // namespace chaosgate
