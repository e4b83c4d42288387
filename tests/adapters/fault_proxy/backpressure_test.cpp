// A slow reader: what it does not take yet waits in the proxy (the splice
// path's leftovers, the queue) and in the sockets on the way. Every byte must
// still arrive, once and in order, also when a toxic comes in while bytes wait,
// and a half-close must not overtake them.
#include <sys/socket.h>

#include <thread>

#include "adapters/fault_proxy/proxy_fixture.h"

namespace chaosgate::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

std::string pattern(std::size_t size) {
  std::string bytes(size, '\0');
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>(i % 251);  // a prime: no period of 2^n
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
