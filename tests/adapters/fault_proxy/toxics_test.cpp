// Each toxic as a real client sees it through a real proxy on 127.0.0.1.
#include <sys/socket.h>

#include <cerrno>
#include <thread>

#include "adapters/fault_proxy/proxy_fixture.h"
#include "support/test_http_server.h"

namespace chaosgate::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class FaultProxyToxics : public ProxyFixture {};

TEST_F(FaultProxyToxics, NoToxicPassesBytesBothWays) {
  const int fd = connect();
  const std::string big(300000, 'x');
  EXPECT_LT(round_trip_ms(fd, big), 2000);
  ::close(fd);
}

TEST_F(FaultProxyToxics, LatencyDelaysEachAnswer) {
  add_toxic({{"type", "latency"}, {"attributes", {{"latency", 200}, {"jitter", 20}}}});
  const int fd = connect();
  for (int i = 0; i < 3; ++i) {
    const double ms = round_trip_ms(fd);
    EXPECT_GE(ms, 178);
    EXPECT_LT(ms, 400);
  }
  ::close(fd);
}

TEST_F(FaultProxyToxics, BandwidthLimitsTheRate) {
  add_toxic({{"type", "bandwidth"}, {"attributes", {{"rate", 100}}}});  // 100 KB/s downstream
  const int fd = connect();
  const double ms = round_trip_ms(fd, std::string(50000, 'b'));  // 50 KB: about 0.5 s
  EXPECT_GE(ms, 450);
  EXPECT_LT(ms, 900);
  ::close(fd);
}

TEST_F(FaultProxyToxics, SlowCloseDelaysTheClose) {
  add_toxic({{"type", "slow_close"}, {"attributes", {{"delay", 300}}}});
  const int fd = connect();
  round_trip_ms(fd);
  const auto start = Clock::now();
  ::shutdown(fd, SHUT_WR);  // the echo server closes in turn; its FIN is held 300 ms
  const auto got = read_for(fd, 1, seconds(5));
  EXPECT_TRUE(got.eof);
  EXPECT_GE(ms_since(start), 290);
  EXPECT_LT(ms_since(start), 800);
  ::close(fd);
}

TEST_F(FaultProxyToxics, TimeoutHangsThenCloses) {
  const int fd = connect();
  round_trip_ms(fd);
  add_toxic({{"type", "timeout"}, {"stream", "upstream"}, {"attributes", {{"timeout", 300}}}});
  const auto start = Clock::now();
  ASSERT_TRUE(send_all(fd, "lost"));
  const auto got = read_for(fd, 4, seconds(5));
  EXPECT_EQ(got.data, "");  // nothing got through
  EXPECT_TRUE(got.eof);     // then the connection was closed
  EXPECT_GE(ms_since(start), 280);
  EXPECT_LT(ms_since(start), 800);
  ::close(fd);
}

TEST_F(FaultProxyToxics, TimeoutZeroHangsUntilRemoved) {
  add_toxic({{"type", "timeout"}, {"name", "hang"}, {"attributes", {{"timeout", 0}}}});
  const int fd = connect();
  ASSERT_TRUE(send_all(fd, "dropped"));
  const auto hung = read_for(fd, 7, milliseconds(300));
  EXPECT_EQ(hung.data, "");
  EXPECT_FALSE(hung.eof);
  m_proxy->remove_toxic("echo", "hang");
  EXPECT_LT(round_trip_ms(fd, "after"), 200);
  ::close(fd);
}

TEST_F(FaultProxyToxics, ResetPeerIsAConnectionReset) {
  add_toxic({{"type", "reset_peer"}, {"attributes", {{"timeout", 100}}}});
  const int fd = connect();
  round_trip_ms(fd);
  const auto start = Clock::now();
  const auto got = read_for(fd, 1, seconds(5));
  EXPECT_EQ(got.error, ECONNRESET);
  EXPECT_GE(ms_since(start), 50);
  ::close(fd);
}

TEST_F(FaultProxyToxics, LimitDataTruncatesAndCloses) {
  add_toxic({{"type", "limit_data"}, {"attributes", {{"bytes", 1000}}}});
  const int fd = connect();
  ASSERT_TRUE(send_all(fd, std::string(5000, 'l')));
  const auto got = read_for(fd, 5000, seconds(5));
  EXPECT_EQ(got.data.size(), 1000u);
  EXPECT_TRUE(got.eof);
  ::close(fd);
}

TEST_F(FaultProxyToxics, SlicerDeliversEveryByteInPieces) {
  add_toxic({{"type", "slicer"}, {"attributes", {{"average_size", 100}, {"size_variation", 50}, {"delay", 2000}}}});
  const int fd = connect();
  std::string message;
  for (int i = 0; i < 10000; ++i) message.push_back(static_cast<char>('a' + i % 26));
  const auto start = Clock::now();
  ASSERT_TRUE(send_all(fd, message));
  const auto got = read_for(fd, message.size(), seconds(10));
  EXPECT_EQ(got.data, message);  // all bytes, in order
  EXPECT_GE(got.reads, 20);      // ~100 pieces 2 ms apart cannot arrive in a few reads
  EXPECT_GE(ms_since(start), 150);
  ::close(fd);
}

TEST_F(FaultProxyToxics, DropConnectClosesAtConnectTime) {
  add_toxic({{"type", "drop_connect"}, {"toxicity", 1.0}});
  const int fd = connect();
  const auto got = read_for(fd, 1, seconds(5));
  EXPECT_TRUE(got.eof || got.error == ECONNRESET);
  EXPECT_EQ(m_echo.accepted(), 0);  // nothing reached upstream
  ::close(fd);
}

TEST_F(FaultProxyToxics, DropConnectDropsAShare) {
  add_toxic({{"type", "drop_connect"}, {"toxicity", 0.5}});
  int dropped = 0;
  for (int i = 0; i < 200; ++i) {
    const int fd = connect();
    send_all(fd, "x");
    const auto got = read_for(fd, 1, seconds(5));
    if (got.data != "x") ++dropped;
    ::close(fd);
  }
  EXPECT_GT(dropped, 60);
  EXPECT_LT(dropped, 140);
}

TEST_F(FaultProxyToxics, ToxicityZeroLeavesConnectionsAlone) {
  add_toxic({{"type", "latency"}, {"toxicity", 0.0}, {"attributes", {{"latency", 500}}}});
  const int fd = connect();
  EXPECT_LT(round_trip_ms(fd), 200);
  ::close(fd);
}

TEST_F(FaultProxyToxics, AddAndRemoveApplyToAnOpenConnection) {
  const int fd = connect();
  EXPECT_LT(round_trip_ms(fd), 100);
  add_toxic({{"type", "latency"}, {"name", "slow"}, {"attributes", {{"latency", 250}}}});
  EXPECT_GE(round_trip_ms(fd), 240);
  m_proxy->update_toxic("echo", "slow", {{"attributes", {{"latency", 400}}}});
  EXPECT_GE(round_trip_ms(fd), 390);
  m_proxy->remove_toxic("echo", "slow");
  EXPECT_LT(round_trip_ms(fd), 100);
  ::close(fd);
}

TEST_F(FaultProxyToxics, UpstreamLatencyDelaysRequestsToo) {
  add_toxic({{"type", "latency"}, {"stream", "upstream"}, {"attributes", {{"latency", 150}}}});
  const int fd = connect();
  EXPECT_GE(round_trip_ms(fd), 145);
  ::close(fd);
}

TEST_F(FaultProxyToxics, DisabledProxyRefusesThenResetEnablesIt) {
  m_proxy->update_proxy("echo", {{"enabled", false}});
  EXPECT_EQ(connect_local(m_port), -1);
  m_proxy->reset();
  const int fd = connect();
  EXPECT_LT(round_trip_ms(fd), 100);
  ::close(fd);
}

TEST_F(FaultProxyToxics, UpstreamDownClosesTheClient) {
  const auto created = m_proxy->create_proxy({{"name", "nowhere"}, {"upstream", "127.0.0.1:" + std::to_string(closed_port())}});
  const std::string listen = created.at("listen");
  const int fd = connect_local(std::stoi(listen.substr(listen.rfind(':') + 1)));
  ASSERT_GE(fd, 0);
  const auto got = read_for(fd, 1, seconds(5));
  EXPECT_TRUE(got.eof || got.error == ECONNRESET);
  ::close(fd);
}

}  // namespace
}  // namespace chaosgate::test
