// A slow reader: what it does not take yet waits in the proxy (the splice
// path's leftovers, the queue) and in the sockets on the way. Every byte must
// still arrive, once and in order, also when a toxic comes in while bytes wait,
// and a half-close must not overtake them.
#include <sys/socket.h>

#include <atomic>
#include <thread>
#include <vector>

#include "adapters/fault_proxy/proxy_fixture.h"

namespace chaosgate::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

std::string pattern(std::size_t size, std::size_t shift = 0) {
  std::string bytes(size, '\0');
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>((i + shift) % 251);  // a prime: no period of 2^n
  return bytes;
}

class FaultProxyBackpressure : public ProxyFixture {
protected:
  // Sends `bytes` on a thread (it blocks while nobody reads), waits `pause`
  // so every buffer on the way fills, runs `meanwhile`, then reads it all back.
  template <typename Meanwhile>
  std::string echo_slowly(int fd, const std::string& bytes, milliseconds pause, Meanwhile meanwhile) {
    std::thread sender([fd, &bytes] { EXPECT_TRUE(send_all(fd, bytes)); });
    std::this_thread::sleep_for(pause);
    meanwhile();
    const auto got = read_for(fd, bytes.size(), seconds(20));
    sender.join();
    return got.data;
  }
};

TEST_F(FaultProxyBackpressure, SlowReaderGetsEveryByteInOrder) {
  const int fd = connect();
  const std::string bytes = pattern(16 * 1024 * 1024);
  const std::string got = echo_slowly(fd, bytes, milliseconds(300), [] {});
  EXPECT_EQ(got.size(), bytes.size());
  EXPECT_TRUE(got == bytes) << "bytes lost, doubled or out of order";
  ::close(fd);
}

TEST_F(FaultProxyBackpressure, ToxicAddedWhileBytesWait) {
  const int fd = connect();
  const std::string bytes = pattern(8 * 1024 * 1024);
  const std::string got = echo_slowly(fd, bytes, milliseconds(300), [this] {
    add_toxic({{"type", "latency"}, {"name", "late"}, {"attributes", {{"latency", 1}}}});
    add_toxic({{"type", "slicer"}, {"name", "upstream-slices"}, {"stream", "upstream"},
               {"attributes", {{"average_size", 65536}, {"delay", 0}}}});
  });
  EXPECT_EQ(got.size(), bytes.size());
  EXPECT_TRUE(got == bytes) << "bytes lost, doubled or out of order";
  // And back to the spliced path once the toxics are gone.
  m_proxy->remove_toxic("echo", "late");
  m_proxy->remove_toxic("echo", "upstream-slices");
  const std::string again = echo_slowly(fd, bytes, milliseconds(100), [] {});
  EXPECT_TRUE(again == bytes);
  ::close(fd);
}

TEST_F(FaultProxyBackpressure, SixtyFourConnectionsStreamToSlowReaders) {
  // Every connection's destination stalls at once, both ways (the client reads
  // only after a pause, so the echo server stops reading too): the proxy must
  // keep reading each source as its destination takes bytes again, not sit in
  // epoll_wait with bytes in its sockets. Small writes (many small socket
  // buffers for splice) on half of them, large ones on the others.
  constexpr int k_connections = 64;
  constexpr std::size_t k_size = 2 * 1024 * 1024;
  std::vector<int> fds;
  for (int i = 0; i < k_connections; ++i) fds.push_back(connect());
  std::atomic<int> intact{0};
  const auto start = Clock::now();
  std::vector<std::thread> clients;
  for (int i = 0; i < k_connections; ++i) {
    clients.emplace_back([&, i] {
      const std::string bytes = pattern(k_size, static_cast<std::size_t>(i));
      const std::size_t write_size = i % 2 == 0 ? 1024 : 64 * 1024;
      std::thread sender([&] {
        for (std::size_t at = 0; at < bytes.size(); at += write_size)
          if (!send_all(fds[i], bytes.substr(at, write_size))) return;
      });
      std::this_thread::sleep_for(milliseconds(300));
      const auto got = read_for(fds[i], bytes.size(), seconds(30));
      sender.join();
      if (got.data == bytes) ++intact;
    });
  }
  for (auto& client : clients) client.join();
  const double elapsed_ms = ms_since(start);
  std::printf("%d x %zu MiB echoed in %.0f ms\n", k_connections, k_size >> 20, elapsed_ms);
  EXPECT_EQ(intact.load(), k_connections) << "bytes lost, doubled, out of order or stuck";
  for (const int fd : fds) ::close(fd);
}

// Sends `size` bytes, half-closes, reads only after a while: true when every
// byte came back in order, then EOF.
bool half_close_echoes_everything(int fd, std::size_t size) {
  const int small = 128 * 1024;  // the echo backs up sooner: less room on the way back
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  const std::string bytes = pattern(size);
  std::thread sender([fd, &bytes] {
    EXPECT_TRUE(send_all(fd, bytes));
    ::shutdown(fd, SHUT_WR);
  });
  std::this_thread::sleep_for(milliseconds(300));
  const auto got = read_for(fd, bytes.size() + 1, seconds(20));
  sender.join();
  EXPECT_EQ(got.data.size(), bytes.size());
  EXPECT_TRUE(got.eof);
  return got.data == bytes && got.eof;
}

TEST_F(FaultProxyBackpressure, HalfCloseWaitsForTheBytesOnTheirWay) {
  // The client's FIN reaches the proxy while its last bytes still wait (the
  // echo server is stuck sending to a client that does not read); passed on
  // early, the echo server would close before echoing them. And the echo
  // server hangs up (EPOLLHUP) with bytes still in its socket that the proxy
  // has no room for yet: they must be read on until EOF, not dropped.
  const int fd = connect();
  EXPECT_TRUE(half_close_echoes_everything(fd, 24 * 1024 * 1024));
  ::close(fd);
}

TEST_F(FaultProxyBackpressure, HalfCloseThroughAToxicDeliversEverything) {
  // The same through the toxic path (read into the queue, not spliced).
  add_toxic({{"type", "latency"}, {"attributes", {{"latency", 1}}}});
  const int fd = connect();
  EXPECT_TRUE(half_close_echoes_everything(fd, 24 * 1024 * 1024));
  ::close(fd);
}

}  // namespace
}  // namespace chaosgate::test
