#pragma once
// A fault proxy with one proxy "echo" in front of a real TCP echo server, all
// on 127.0.0.1 and free ports; helpers to time what a real client sees.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "fault_proxy/fault_proxy.h"
#include "support/tcp_echo_server.h"

namespace chaosgate::test {

class ProxyFixture : public ::testing::Test {
protected:
  using Clock = std::chrono::steady_clock;

  void SetUp() override {
    m_proxy = fault_proxy::start_fault_proxy(loops());
    const auto created = m_proxy->create_proxy({{"name", "echo"}, {"upstream", m_echo.address()}});
    const std::string listen = created.at("listen");
    m_port = std::stoi(listen.substr(listen.rfind(':') + 1));
  }
  void TearDown() override { m_proxy->stop(); }
  // Event-loop threads; 0: one per core, as `chaosgate proxy`.
  virtual std::size_t loops() const { return 0; }

  nlohmann::json add_toxic(const nlohmann::json& toxic) { return m_proxy->add_toxic("echo", toxic); }

  // Connects through the proxy; the fd is closed by the fixture's caller.
  int connect() {
    const int fd = connect_local(m_port);
    EXPECT_GE(fd, 0);
    return fd;
  }

  static double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  }

  // Sends `message` and times until all of it came back.
  double round_trip_ms(int fd, const std::string& message = "ping") {
    const auto start = Clock::now();
    EXPECT_TRUE(send_all(fd, message));
    const auto got = read_for(fd, message.size(), std::chrono::seconds(10));
    EXPECT_EQ(got.data, message);
    return ms_since(start);
  }

  TcpEchoServer m_echo;
  std::unique_ptr<fault_proxy::FaultProxy> m_proxy;
  int m_port = 0;
};

}  // namespace chaosgate::test
