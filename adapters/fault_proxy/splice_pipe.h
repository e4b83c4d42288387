#pragma once
// A non-blocking pipe for splice(): bytes move socket -> pipe -> socket inside
// the kernel, never copied to user space. Counts what it holds, so a link
// knows what still waits in it.
#include <sys/types.h>

#include <cstddef>

namespace chaosgate::fault_proxy {

class SplicePipe {
public:
  SplicePipe() = default;
  ~SplicePipe();
  SplicePipe(const SplicePipe&) = delete;
  SplicePipe& operator=(const SplicePipe&) = delete;

  // Makes the pipe (asking for `size` bytes of room); false when no pipe can be
  // had (out of file descriptors): the caller copies instead.
  bool open(std::size_t size);
  bool is_open() const { return m_read_end >= 0; }
  // Closes it; what it held is dropped (its destination is gone).
  void discard();

  std::size_t held() const { return m_held; }
  std::size_t room() const { return m_held < m_capacity ? m_capacity - m_held : 0; }

  // splice() from socket `fd` into the pipe, at most `most` bytes: the count,
  // 0 at EOF, -1 with errno (EAGAIN: the socket is empty or the pipe is full).
  ssize_t fill_from(int fd, std::size_t most);
  // splice() what the pipe holds (at most `most`) to socket `fd`: the count
  // or -1 with errno (EAGAIN: the socket's send buffer is full).
  ssize_t drain_to(int fd, std::size_t most);
  // Moves what `other` holds into this pipe (pipe to pipe: page references,
  // no copy): the count or -1 with errno.
  ssize_t take_from(SplicePipe& other);
  // Reads up to `size` held bytes into `into` (a copy): the count.
  std::size_t read_into(char* into, std::size_t size);

private:
  int m_read_end = -1;
  int m_write_end = -1;
  std::size_t m_held = 0;
  std::size_t m_capacity = 0;
};

}  // namespace chaosgate::fault_proxy
