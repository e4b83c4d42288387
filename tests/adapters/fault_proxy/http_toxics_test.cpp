// http_status and http_delay in front of a real HTTP/1.1 server.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "fault_proxy/fault_proxy.h"
#include "support/tcp_echo_server.h"
#include "support/test_http_server.h"

namespace chaosgate::test {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

class FaultProxyHttpToxics : public ::testing::Test {
protected:
  void SetUp() override {
    m_server.on("GET", "/.*", [](const httplib::Request& request, httplib::Response& response) {
      response.set_content("hello from " + request.path, "text/plain");
    });
    m_server.on("POST", "/.*", [](const httplib::Request& request, httplib::Response& response) {
      response.set_content("got " + std::to_string(request.body.size()), "text/plain");
    });
    m_server.start();
    m_proxy = fault_proxy::start_fault_proxy();
    const auto created = m_proxy->create_proxy({{"name", "web"}, {"upstream", "127.0.0.1:" + std::to_string(m_server.port())}});
    const std::string listen = created.at("listen");
    m_port = std::stoi(listen.substr(listen.rfind(':') + 1));
  }
  void TearDown() override { m_proxy->stop(); }

  // One request on its own connection: the status line's code (0 if none).
  int status_of(const std::string& path, const std::string& method = "GET", const std::string& body = "") {
    const int fd = connect_local(m_port);
    EXPECT_GE(fd, 0);
    send_all(fd, method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " +
                     std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    const auto got = read_for(fd, 1 << 20, std::chrono::seconds(5));
    ::close(fd);
    m_last_response = got.data;
    return got.data.rfind("HTTP/1.1 ", 0) == 0 ? std::stoi(got.data.substr(9, 3)) : 0;
  }

  TestHttpServer m_server;
  std::unique_ptr<fault_proxy::FaultProxy> m_proxy;
  int m_port = 0;
  std::string m_last_response;
};

TEST_F(FaultProxyHttpToxics, StatusAnswersAShareOfMatchingRequests) {
  m_proxy->add_toxic("web", {{"type", "http_status"}, {"toxicity", 0.5},
                             {"attributes", {{"status", 503}, {"path_prefix", "/api"}}}});
  int unavailable = 0;
  for (int i = 0; i < 200; ++i) {
    const int status = status_of("/api/cart?i=" + std::to_string(i));
    ASSERT_TRUE(status == 200 || status == 503) << m_last_response;
    if (status == 503) ++unavailable;
  }
  EXPECT_GT(unavailable, 60);
  EXPECT_LT(unavailable, 140);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(status_of("/health"), 200);  // not matched: never touched
}

TEST_F(FaultProxyHttpToxics, StatusByRegexWithBodyAndConsumesTheRequestBody) {
  m_proxy->add_toxic("web", {{"type", "http_status"},
                             {"attributes", {{"status", 429}, {"path_regex", "^/orders/[0-9]+$"}, {"body", "slow down"}}}});
  EXPECT_EQ(status_of("/orders/42", "POST", std::string(5000, 'o')), 429);
  EXPECT_NE(m_last_response.find("slow down"), std::string::npos);
  EXPECT_EQ(status_of("/orders/new", "POST", "{}"), 200);
  EXPECT_NE(m_last_response.find("got 2"), std::string::npos);
  EXPECT_TRUE(m_server.requests().size() == 1);  // the 429 never reached the server
}

TEST_F(FaultProxyHttpToxics, DelayHoldsOnlyMatchingPaths) {
  m_proxy->add_toxic("web", {{"type", "http_delay"}, {"attributes", {{"delay", 300}, {"path_prefix", "/slow"}}}});
  auto start = Clock::now();
  EXPECT_EQ(status_of("/slow/page"), 200);
  EXPECT_GE(ms_since(start), 295);
  start = Clock::now();
  EXPECT_EQ(status_of("/fast"), 200);
  EXPECT_LT(ms_since(start), 150);
}

TEST_F(FaultProxyHttpToxics, KeepAliveRequestsAreJudgedOneByOne) {
  m_proxy->add_toxic("web", {{"type", "http_delay"}, {"attributes", {{"delay", 200}, {"path_prefix", "/slow"}}}});
  const int fd = connect_local(m_port);
  const auto timed = [&](const std::string& path) {
    const auto start = Clock::now();
    send_all(fd, "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
    const std::string expected = "hello from " + path;
    std::string seen;
    while (seen.find(expected) == std::string::npos) {
      const auto got = read_for(fd, 1, std::chrono::seconds(5));
      if (got.data.empty()) break;
      seen += got.data;
    }
    EXPECT_NE(seen.find(expected), std::string::npos);
    return ms_since(start);
  };
  EXPECT_LT(timed("/fast"), 150);
  EXPECT_GE(timed("/slow"), 195);
  EXPECT_LT(timed("/fast"), 150);
  ::close(fd);
}

}  // namespace
}  // namespace chaosgate::test
