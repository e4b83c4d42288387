// The fault proxy's own cost, with no toxic: throughput through `chaosgate
// proxy` vs a direct connection (1 KiB, 64 KiB, 1 MiB writes; 1 and 64
// connections) and the latency it adds to small request/response pairs.
//
//   proxy_throughput CHAOSGATE_BINARY [--quick]    -> one JSON object on stdout
//
// Everything on 127.0.0.1 and free ports; the proxy is a child process, killed
// by pid at the end. Bytes are counted where they arrive (the sink), between
// two instants after a warm-up, so buffers in between do not inflate a figure.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

int listen_local(int& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0 || ::listen(fd, 1024) != 0) return -1;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  port = ntohs(address.sin_port);
  return fd;
}

int free_port() {
  int port = 0;
  const int fd = listen_local(port);
  ::close(fd);
  return port;
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
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

// A server that either counts and drops what it gets (sink) or echoes it;
// a thread per connection is fine on the measuring side.
class Server {
public:
  explicit Server(bool echo) : m_echo(echo) {
    m_fd = listen_local(m_port);
    m_thread = std::thread([this] {
      for (;;) {
        const int fd = ::accept(m_fd, nullptr, nullptr);
        if (fd < 0) return;
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        ++m_live;
        std::thread([this, fd] {
          std::vector<char> buffer(1 << 20);
          for (;;) {
            const ssize_t n = ::read(fd, buffer.data(), buffer.size());
            if (n <= 0) break;
            if (m_echo) {
              if (::send(fd, buffer.data(), static_cast<std::size_t>(n), MSG_NOSIGNAL) != n) break;
            } else {
              m_bytes += static_cast<std::uint64_t>(n);
            }
          }
          ::close(fd);
          --m_live;
        }).detach();
      }
    });
  }
  ~Server() {
    ::shutdown(m_fd, SHUT_RDWR);
    ::close(m_fd);
    m_thread.join();
    // The connection threads end when their peers close; wait for them (bounded).
    for (int i = 0; i < 500 && m_live.load() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  int port() const { return m_port; }
  std::uint64_t bytes() const { return m_bytes.load(); }

private:
  bool m_echo;
  int m_fd = -1;
  int m_port = 0;
  std::atomic<std::uint64_t> m_bytes{0};
  std::atomic<int> m_live{0};
  std::thread m_thread;
};

// POST with a JSON body; the status code (0 when the request failed).
int http_post(int port, const std::string& path, const std::string& body) {
  const int fd = connect_local(port);
  if (fd < 0) return 0;
  const std::string request = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                              "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  char buffer[4096];
  std::string response;
  for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) response.append(buffer, static_cast<std::size_t>(n));
  ::close(fd);
  return response.size() > 12 ? std::atoi(response.c_str() + 9) : 0;
}

double throughput_mb_s(int port, const Server& sink, std::size_t size, int connections, double seconds) {
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int i = 0; i < connections; ++i) {
    clients.emplace_back([&] {
      const int fd = connect_local(port);
      if (fd < 0) return;
      const std::vector<char> message(size, 'x');
      while (!stop.load(std::memory_order_relaxed))
        if (::send(fd, message.data(), message.size(), MSG_NOSIGNAL) < 0) break;
      ::close(fd);
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // warm-up: connections up, windows open
  const auto start_bytes = sink.bytes();
  const auto start = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  const auto bytes = sink.bytes() - start_bytes;
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  stop = true;
  for (auto& client : clients) client.join();
  return static_cast<double>(bytes) / elapsed / 1e6;
}

struct Percentiles {
  double p50 = 0;
  double p99 = 0;
};

Percentiles round_trips_us(int port, int count) {
  const int fd = connect_local(port);
  std::vector<double> times;
  char message[64] = {};
  char answer[64];
  for (int i = 0; i < count + 200; ++i) {
    const auto start = Clock::now();
    ::send(fd, message, sizeof message, MSG_NOSIGNAL);
    std::size_t got = 0;
    while (got < sizeof answer) {
      const ssize_t n = ::read(fd, answer + got, sizeof answer - got);
      if (n <= 0) break;
      got += static_cast<std::size_t>(n);
    }
    if (i >= 200) times.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  }
  ::close(fd);
  std::sort(times.begin(), times.end());
  return {times[times.size() / 2], times[times.size() * 99 / 100]};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: proxy_throughput CHAOSGATE_BINARY [--quick]\n");
    return 2;
  }
  const bool quick = argc > 2 && std::strcmp(argv[2], "--quick") == 0;
  const double seconds = quick ? 0.5 : 2.0;
  ::signal(SIGPIPE, SIG_IGN);

  Server sink(false);
  Server echo(true);
  const int api_port = free_port();
  const pid_t proxy = ::fork();
  if (proxy == 0) {
    const std::string listen = "127.0.0.1:" + std::to_string(api_port);
    std::freopen("/dev/null", "w", stdout);  // its "control API on" line is not our JSON
    ::execl(argv[1], argv[1], "--quiet", "proxy", "--listen", listen.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  const int sink_proxy_port = free_port();
  const int echo_proxy_port = free_port();
  bool ready = false;
  for (int i = 0; i < 100 && !ready; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ready = http_post(api_port, "/proxies",
                      R"({"name":"sink","listen":"127.0.0.1:)" + std::to_string(sink_proxy_port) +
                          R"(","upstream":"127.0.0.1:)" + std::to_string(sink.port()) + "\"}") == 201;
  }
  const bool echo_ready = ready && http_post(api_port, "/proxies",
                                             R"({"name":"echo","listen":"127.0.0.1:)" + std::to_string(echo_proxy_port) +
                                                 R"(","upstream":"127.0.0.1:)" + std::to_string(echo.port()) + "\"}") == 201;
  if (!ready || !echo_ready) {
    std::fprintf(stderr, "proxy_throughput: chaosgate proxy did not come up\n");
    ::kill(proxy, SIGKILL);
    ::waitpid(proxy, nullptr, 0);
    return 1;
  }

  std::string json = "{\"throughput\": [";
  bool first = true;
  for (const std::size_t size : {std::size_t{1024}, std::size_t{64 * 1024}, std::size_t{1024 * 1024}}) {
    for (const int connections : {1, 64}) {
      const double direct = throughput_mb_s(sink.port(), sink, size, connections, seconds);
      const double proxied = throughput_mb_s(sink_proxy_port, sink, size, connections, seconds);
      char row[256];
      std::snprintf(row, sizeof row,
                    "%s{\"size\": %zu, \"connections\": %d, \"direct_mb_s\": %.1f, \"proxy_mb_s\": %.1f, \"ratio\": %.3f}",
                    first ? "" : ", ", size, connections, direct, proxied, direct > 0 ? proxied / direct : 0.0);
      json += row;
      first = false;
    }
  }
  const int pairs = quick ? 2000 : 20000;
  const auto direct = round_trips_us(echo.port(), pairs);
  const auto proxied = round_trips_us(echo_proxy_port, pairs);
  char latency[256];
  std::snprintf(latency, sizeof latency,
                "], \"latency_us\": {\"direct_p50\": %.1f, \"direct_p99\": %.1f, \"proxy_p50\": %.1f, \"proxy_p99\": %.1f, "
                "\"added_p50\": %.1f, \"added_p99\": %.1f}}",
                direct.p50, direct.p99, proxied.p50, proxied.p99, proxied.p50 - direct.p50, proxied.p99 - direct.p99);
  json += latency;
  std::printf("%s\n", json.c_str());

  ::kill(proxy, SIGTERM);
  int status = 0;
  ::waitpid(proxy, &status, 0);
  return 0;
}
