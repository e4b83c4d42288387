#pragma once
// A TCP echo server on 127.0.0.1 (free port) for the fault proxy tests: one
// poll() thread echoes every byte back and closes a connection when its peer
// has closed. Counts connections accepted and open.
#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>

namespace chaosgate::test {

class TcpEchoServer {
public:
  TcpEchoServer();   // listening and serving when it returns
  ~TcpEchoServer();  // stops, closes every socket, joins
  TcpEchoServer(const TcpEchoServer&) = delete;
  TcpEchoServer& operator=(const TcpEchoServer&) = delete;

  int port() const { return m_port; }
  std::string address() const { return "127.0.0.1:" + std::to_string(m_port); }
  int accepted() const { return m_accepted.load(); }
  int open_connections() const { return m_open.load(); }

private:
  void serve();

  int m_listen_fd = -1;
  int m_wake[2] = {-1, -1};
  int m_port = 0;
  std::atomic<int> m_accepted{0};
  std::atomic<int> m_open{0};
  std::thread m_thread;
};

// Blocking client helpers with deadlines, for tests.
// Connects to 127.0.0.1:port; -1 on failure.
int connect_local(int port);
// Sends all of `data`; false on error.
bool send_all(int fd, const std::string& data);
// Reads until `size` bytes, EOF, an error or the timeout. `error` gets errno
// of a failed read (ECONNRESET...) or 0; `eof` tells whether the peer closed.
struct ReadResult {
  std::string data;
  bool eof = false;
  int error = 0;
  int reads = 0;  // how many read() calls returned data
};
ReadResult read_for(int fd, std::size_t size, std::chrono::milliseconds timeout);

// Open file descriptors of this process (/proc/self/fd).
int open_fd_count();
// Resident set size of this process in KiB (/proc/self/statm).
long resident_kib();

}  // namespace chaosgate::test
