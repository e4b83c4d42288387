// The control API's HTTP server over raw sockets: what clients other than
// well-behaved libraries may send.
#include "fault_proxy/api_server.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>

#include "support/tcp_echo_server.h"

namespace chaosgate::fault_proxy {
namespace {

using namespace std::chrono_literals;

class ApiServerTest : public ::testing::Test {
protected:
  void SetUp() override {
    m_server = start_api_server("127.0.0.1", 0, [](const ApiRequest& request) {
      return ApiResponse{200, "text/plain", request.method + " " + request.path + " [" + request.body + "] " +
                                                request.header("x-name")};
    });
  }

  // Sends `bytes` on `fd` and reads one answer: its head and Content-Length
  // bytes of body (a 100 Continue has none), or what came in 2 s.
  static std::string exchange(int fd, const std::string& bytes) {
    EXPECT_TRUE(test::send_all(fd, bytes));
    std::string answer;
    const auto deadline = std::chrono::steady_clock::now() + 2s;
    while (std::chrono::steady_clock::now() < deadline) {
      const auto part = test::read_for(fd, 1, 200ms);
      answer += part.data;
      if (part.eof) break;
      const auto head_end = answer.find("\r\n\r\n");
      if (head_end == std::string::npos) continue;
      const auto length_at = answer.find("Content-Length: ");
      const std::size_t length =
          length_at == std::string::npos || answer.starts_with("HTTP/1.1 100") ? 0 : std::stoul(answer.substr(length_at + 16));
      if (answer.size() >= head_end + 4 + length) break;
    }
    return answer;
  }

  std::unique_ptr<ApiServer> m_server;
};

TEST_F(ApiServerTest, KeepsConnectionsAliveAndServesThemSideBySide) {
  const int idle = test::connect_local(m_server->port());
  const int other = test::connect_local(m_server->port());
  ASSERT_GE(idle, 0);
  ASSERT_GE(other, 0);
  const std::string first = exchange(idle, "GET /a%2Fb?q=1 HTTP/1.1\r\nX-Name: one\r\n\r\n");
  EXPECT_NE(first.find("HTTP/1.1 200 OK\r\n"), std::string::npos) << first;
  EXPECT_NE(first.find("Connection: keep-alive"), std::string::npos) << first;
  EXPECT_NE(first.find("GET /a/b [] one"), std::string::npos) << "decoded path, no query: " << first;
  // `idle` stays open while `other` is served.
  const std::string second = exchange(other, "POST /x HTTP/1.1\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
  EXPECT_NE(second.find("POST /x [hello]"), std::string::npos) << second;
  EXPECT_NE(second.find("Connection: close"), std::string::npos) << second;
  // And answers again on the same connection.
  EXPECT_NE(exchange(idle, "HEAD /again HTTP/1.1\r\n\r\n").find("Content-Length: 14\r\nConnection: keep-alive\r\n\r\n"), std::string::npos);
  ::close(idle);
  ::close(other);
}

// A client that sends `Connection: close` may read until the end of the
// stream: it must come right after the answer, not when the server stops.
TEST_F(ApiServerTest, ClosesTheConnectionAfterAnAnswerWithConnectionClose) {
  for (const std::string version : {"HTTP/1.1\r\nConnection: close", "HTTP/1.0"}) {
    const int fd = test::connect_local(m_server->port());
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(test::send_all(fd, "GET /bye " + version + "\r\n\r\n"));
    const auto start = std::chrono::steady_clock::now();
    const auto answer = test::read_for(fd, 100000, 3s);
    EXPECT_TRUE(answer.eof) << version;
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s) << version;
    EXPECT_NE(answer.data.find("GET /bye []"), std::string::npos) << answer.data;
    ::close(fd);
  }
}

TEST_F(ApiServerTest, AnswersExpectContinueAndRefusesWhatItDoesNotRead) {
  const int fd = test::connect_local(m_server->port());
  ASSERT_GE(fd, 0);
  EXPECT_EQ(exchange(fd, "PUT /big HTTP/1.1\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n"),
            "HTTP/1.1 100 Continue\r\n\r\n");
  EXPECT_NE(exchange(fd, "abc").find("PUT /big [abc]"), std::string::npos);
  ::close(fd);

  const int chunked = test::connect_local(m_server->port());
  EXPECT_NE(exchange(chunked, "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
                .find("HTTP/1.1 411 Length Required"),
            std::string::npos);
  ::close(chunked);
  const int garbage = test::connect_local(m_server->port());
  EXPECT_NE(exchange(garbage, "HELLO\r\n\r\n").find("HTTP/1.1 400 Bad Request"), std::string::npos);
  ::close(garbage);
}

TEST_F(ApiServerTest, StopClosesIdleConnectionsPromptly) {
  const int fd = test::connect_local(m_server->port());
  ASSERT_GE(fd, 0);
  EXPECT_NE(exchange(fd, "GET / HTTP/1.1\r\n\r\n").find("200 OK"), std::string::npos);
  const auto start = std::chrono::steady_clock::now();
  m_server->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s) << "not held up by the 5 s idle time";
  EXPECT_TRUE(test::read_for(fd, 1, 1s).eof);
  ::close(fd);
  EXPECT_THROW(start_api_server("127.0.0.1", -5, [](const ApiRequest&) { return ApiResponse{}; }), std::runtime_error);
}

}  // namespace
}  // namespace chaosgate::fault_proxy
