#include "fault_proxy/splice_pipe.h"

#include <fcntl.h>
#include <unistd.h>

namespace chaosgate::fault_proxy {
namespace {

constexpr unsigned k_splice_flags = SPLICE_F_MOVE | SPLICE_F_NONBLOCK;

}  // namespace

SplicePipe::~SplicePipe() { discard(); }

bool SplicePipe::open(std::size_t size) {
  if (is_open()) return true;
  int ends[2];
  if (::pipe2(ends, O_NONBLOCK | O_CLOEXEC) != 0) return false;
  m_read_end = ends[0];
  m_write_end = ends[1];
  // Refused past the user's pipe quota (fs.pipe-user-pages-soft): the pipe then
  // keeps the room the kernel gave it, which F_GETPIPE_SZ tells.
  ::fcntl(m_write_end, F_SETPIPE_SZ, static_cast<int>(size));
  const int capacity = ::fcntl(m_write_end, F_GETPIPE_SZ);
  m_capacity = capacity > 0 ? static_cast<std::size_t>(capacity) : 4096;
  m_held = 0;
  return true;
}

void SplicePipe::discard() {
  if (m_read_end >= 0) ::close(m_read_end);
  if (m_write_end >= 0) ::close(m_write_end);
  m_read_end = m_write_end = -1;
  m_held = 0;
  m_capacity = 0;
}

ssize_t SplicePipe::fill_from(int fd, std::size_t most) {
  const ssize_t n = ::splice(fd, nullptr, m_write_end, nullptr, most, k_splice_flags);
  if (n > 0) m_held += static_cast<std::size_t>(n);
  return n;
}

ssize_t SplicePipe::drain_to(int fd, std::size_t most) {
  const ssize_t n = ::splice(m_read_end, nullptr, fd, nullptr, most, k_splice_flags);
  if (n > 0) m_held -= static_cast<std::size_t>(n);
  return n;
}

ssize_t SplicePipe::take_from(SplicePipe& other) {
  const ssize_t n = ::splice(other.m_read_end, nullptr, m_write_end, nullptr, other.m_held, k_splice_flags);
  if (n > 0) {
    other.m_held -= static_cast<std::size_t>(n);
    m_held += static_cast<std::size_t>(n);
  }
  return n;
}

std::size_t SplicePipe::read_into(char* into, std::size_t size) {
  std::size_t got = 0;
  while (got < size && m_held > 0) {
    const ssize_t n = ::read(m_read_end, into + got, size - got);
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
    m_held -= static_cast<std::size_t>(n);
  }
  return got;
}

}  // namespace chaosgate::fault_proxy
