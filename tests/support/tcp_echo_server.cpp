#include "support/tcp_echo_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <vector>

namespace chaosgate::test {

TcpEchoServer::TcpEchoServer() {
  m_listen_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(m_listen_fd, reinterpret_cast<sockaddr*>(&address), length) != 0 || ::listen(m_listen_fd, 1024) != 0)
    throw std::runtime_error("echo server cannot listen");
  ::getsockname(m_listen_fd, reinterpret_cast<sockaddr*>(&address), &length);
  m_port = ntohs(address.sin_port);
  if (::pipe2(m_wake, O_CLOEXEC) != 0) throw std::runtime_error("pipe2");
  m_thread = std::thread([this] { serve(); });
}

TcpEchoServer::~TcpEchoServer() {
  const char byte = 0;
  [[maybe_unused]] const auto written = ::write(m_wake[1], &byte, 1);
  m_thread.join();
  ::close(m_wake[0]);
  ::close(m_wake[1]);
  ::close(m_listen_fd);
}

void TcpEchoServer::serve() {
  std::map<int, std::string> pending;  // fd -> bytes not yet echoed
  char buffer[65536];
  for (;;) {
    std::vector<pollfd> fds{{m_wake[0], POLLIN, 0}, {m_listen_fd, POLLIN, 0}};
    for (const auto& [fd, out] : pending) fds.push_back({fd, static_cast<short>(out.empty() ? POLLIN : POLLOUT), 0});
    if (::poll(fds.data(), fds.size(), 1000) < 0) continue;
    if (fds[0].revents != 0) break;
    if (fds[1].revents != 0) {
      const int fd = ::accept4(m_listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd >= 0) {
        pending[fd];
        ++m_accepted;
        ++m_open;
      }
    }
    for (std::size_t i = 2; i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      const int fd = fds[i].fd;
      auto& out = pending[fd];
      bool done = false;
      if (!out.empty()) {
        const ssize_t n = ::send(fd, out.data(), out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) out.erase(0, static_cast<std::size_t>(n));
        else if (n < 0 && errno != EAGAIN) done = true;
      } else {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n > 0) out.assign(buffer, static_cast<std::size_t>(n));
        else if (n == 0 || errno != EAGAIN) done = true;
      }
      if (done) {
        ::close(fd);
        pending.erase(fd);
        --m_open;
      }
    }
  }
  for (const auto& [fd, out] : pending) ::close(fd);
  m_open = 0;
}

int connect_local(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool send_all(int fd, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

ReadResult read_for(int fd, std::size_t size, std::chrono::milliseconds timeout) {
  ReadResult result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char buffer[65536];
  while (result.data.size() < size) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    const ssize_t n = ::recv(fd, buffer, std::min(sizeof buffer, size - result.data.size()), 0);
    if (n > 0) {
      result.data.append(buffer, static_cast<std::size_t>(n));
      ++result.reads;
    } else if (n == 0) {
      result.eof = true;
      break;
    } else {
      result.error = errno;
      break;
    }
  }
  return result;
}

int open_fd_count() {
  int count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) ++count;
  return count;
}

long resident_kib() {
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  statm >> size >> resident;
  return resident * (::sysconf(_SC_PAGESIZE) / 1024);
}

}  // namespace chaosgate::test
