// Several event loops: connections spread over them, a toxic change reaches
// the links on every loop before the call returns, and stop closes them all.
#include <sys/socket.h>

#include <thread>
#include <vector>

#include "adapters/fault_proxy/proxy_fixture.h"
#include "fault_proxy/api_error.h"

namespace chaosgate::test {
namespace {

using std::chrono::seconds;

class FaultProxyLoops : public ProxyFixture {
protected:
  // More loops than this machine may have cores: the spread must not depend on it.
  std::size_t loops() const override { return 3; }

  // `count` connections, each past one round trip (so its link has started on its loop).
  std::vector<int> open_connections(int count) {
    std::vector<int> fds;
    for (int i = 0; i < count; ++i) {
      fds.push_back(connect());
      round_trip_ms(fds.back(), "hello " + std::to_string(i));
    }
    return fds;
  }
  static void close_all(const std::vector<int>& fds) {
    for (const int fd : fds) ::close(fd);
  }
};

TEST_F(FaultProxyLoops, ConnectionsAreHandedRoundRobin) {
  EXPECT_EQ(m_proxy->loop_count(), 3u);
  const auto fds = open_connections(7);
  EXPECT_EQ(m_proxy->connection_count_per_loop("echo"), (std::vector<std::size_t>{3, 2, 2}));
  EXPECT_EQ(m_proxy->connection_count("echo"), 7u);
  EXPECT_TRUE(m_proxy->connection_count_per_loop("nowhere").empty());
  close_all(fds);
}

TEST_F(FaultProxyLoops, ToxicChangesApplyOnEveryLoopAtOnce) {
  const auto fds = open_connections(3);
  ASSERT_EQ(m_proxy->connection_count_per_loop("echo"), (std::vector<std::size_t>{1, 1, 1}));
  add_toxic({{"type", "latency"}, {"name", "slow"}, {"attributes", {{"latency", 200}}}});
  for (const int fd : fds) EXPECT_GE(round_trip_ms(fd), 195);
  m_proxy->update_toxic("echo", "slow", {{"attributes", {{"latency", 350}}}});
  for (const int fd : fds) EXPECT_GE(round_trip_ms(fd), 345);
  m_proxy->remove_toxic("echo", "slow");
  for (const int fd : fds) EXPECT_LT(round_trip_ms(fd), 100);
  // A connection opened after the change gets the proxy's current toxics on its loop too.
  add_toxic({{"type", "latency"}, {"name", "late"}, {"attributes", {{"latency", 150}}}});
  for (int i = 0; i < 3; ++i) {
    const int fd = connect();
    EXPECT_GE(round_trip_ms(fd), 145);
    ::close(fd);
  }
  close_all(fds);
}

TEST_F(FaultProxyLoops, StopClosesLiveConnectionsOnEveryLoop) {
  const int fds_before = open_fd_count();
  const auto fds = open_connections(6);
  ASSERT_EQ(m_proxy->connection_count_per_loop("echo"), (std::vector<std::size_t>{2, 2, 2}));
  // One of them mid-way through a delayed answer (a timer pending on its loop).
  add_toxic({{"type", "latency"}, {"attributes", {{"latency", 5000}}}});
  ASSERT_TRUE(send_all(fds[1], "held"));
  m_proxy->stop();
  for (const int fd : fds) {
    const auto got = read_for(fd, 1, seconds(5));
    EXPECT_TRUE(got.eof || got.error == ECONNRESET);
    EXPECT_EQ(got.data, "");
  }
  close_all(fds);
  // Every socket the proxy had is closed (the echo server closes its side in
  // turn); its loops' epoll, timer and wake-up descriptors go with the facade.
  const auto deadline = Clock::now() + seconds(5);
  while (Clock::now() < deadline && m_echo.open_connections() != 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(open_fd_count(), fds_before - 1);  // the proxy's listener too
  EXPECT_THROW(m_proxy->connection_count("echo"), fault_proxy::ApiError);  // stopped: 503
}

}  // namespace
}  // namespace chaosgate::test
