// The `network` action end to end: a suite that adds a toxic to a real
// Toxiproxy-compatible API (the built-in fault proxy on 127.0.0.1), the toxic
// measured from a real client, then the implicit rollback removing it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>

#include "fault_proxy/control_api.h"
#include "fault_proxy/fault_proxy.h"
#include "load/suite_loader.h"
#include "support/tcp_echo_server.h"
#include "system/drivers.h"

namespace chaosgate::system {
namespace {

using Clock = std::chrono::steady_clock;

std::string suite_with(const std::string& network_yaml) {
  return R"(apiVersion: chaosgate/v1
name: network
catalog:
  teams: [{id: checkout}]
  services: [{id: cart, owner: checkout, targets: [redis]}]
  incidentCategories: [{id: dependency-outage, title: Dependency outage}]
experiments:
  - id: cart-redis-latency
    title: Cart survives a slow redis
    service: cart
    hypothesis: The cart answers while redis is slow.
    incidentCategory: dependency-outage
    attackGroup: network
    risk: {likelihood: 3, impact: 4}
    status: promoted
    steadyState: [{name: cart, http: {url: "http://127.0.0.1:8080/cart"}}]
    method:
      - name: slow-redis
        network:
)" + network_yaml;
}

LoadResult load(const std::string& text, std::optional<std::string> proxy_api = std::nullopt) {
  LoadOptions options;
  options.process_variables = [proxy_api](const std::string& name) -> std::optional<std::string> {
    if (name == "CHAOSGATE_PROXY_API") return proxy_api;
    return std::nullopt;
  };
  return load_suite({{"suite.yaml", text, "yaml"}}, options);
}

std::vector<std::string> errors_of(const LoadResult& result) {
  std::vector<std::string> errors;
  for (const auto& d : result.diagnostics.items())
    if (d.severity == Severity::error) errors.push_back(d.to_string());
  return errors;
}

double round_trip_ms(int port) {
  const int fd = test::connect_local(port);
  const auto start = Clock::now();
  test::send_all(fd, "ping");
  const auto got = test::read_for(fd, 4, std::chrono::seconds(5));
  ::close(fd);
  EXPECT_EQ(got.data, "ping");
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

TEST(NetworkAction, AddsTheToxicAndTheImplicitRollbackRemovesIt) {
  auto proxy = fault_proxy::start_fault_proxy();
  auto api = fault_proxy::start_control_api(*proxy, "127.0.0.1", 0, "test");
  test::TcpEchoServer echo;
  const std::string listen = proxy->create_proxy({{"name", "redis"}, {"upstream", echo.address()}}).at("listen");
  const int port = std::stoi(listen.substr(listen.rfind(':') + 1));

  const auto result = load(suite_with(R"(          proxy: redis
          toxic: {type: latency, attributes: {latency: 200}}
)"), "http://127.0.0.1:" + std::to_string(api->port()));
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(errors_of(result));
  const Action& action = result.suite.experiments[0].method[0];
  EXPECT_EQ(action.kind, ActionKind::network);
  EXPECT_TRUE(action.is_fault());
  EXPECT_EQ(action.network().toxic_name, "latency_downstream");  // Toxiproxy's default name
  ASSERT_EQ(action.rollback.size(), 1u);
  EXPECT_TRUE(action.rollback[0].network().remove);

  auto driver = make_action_driver(std::shared_ptr<http::HttpClient>(http::make_curl_client()));
  EXPECT_LT(round_trip_ms(port), 100);
  const auto added = driver->perform(action, std::chrono::seconds(5), nullptr);
  EXPECT_TRUE(added.ok) << added.detail;
  EXPECT_GE(round_trip_ms(port), 195);
  const auto twice = driver->perform(action, std::chrono::seconds(5), nullptr);
  EXPECT_FALSE(twice.ok);  // 409 from the API, with its message
  EXPECT_NE(twice.detail.find("toxic already exists"), std::string::npos) << twice.detail;

  const auto removed = driver->perform(action.rollback[0], std::chrono::seconds(5), nullptr);
  EXPECT_TRUE(removed.ok) << removed.detail;
  EXPECT_LT(round_trip_ms(port), 100);
  EXPECT_TRUE(driver->perform(action.rollback[0], std::chrono::seconds(5), nullptr).ok);  // already gone is fine

  api->stop();
  const auto unreachable = driver->perform(action, std::chrono::seconds(2), nullptr);
  EXPECT_FALSE(unreachable.ok);
  proxy->stop();
}

TEST(NetworkAction, TheApiDefaultsToTheBuiltInProxy) {
  const auto result = load(suite_with("          proxy: redis\n          toxic: {type: timeout, stream: upstream, toxicity: 0.5}\n"));
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(errors_of(result));
  const auto& network = result.suite.experiments[0].method[0].network();
  EXPECT_EQ(network.api, "http://127.0.0.1:8474");
  EXPECT_EQ(network.toxic_name, "timeout_upstream");
  const auto body = nlohmann::json::parse(network.toxic_json);
  EXPECT_EQ(body.at("toxicity"), 0.5);
  EXPECT_EQ(body.at("stream"), "upstream");
  EXPECT_EQ(body.at("attributes"), nlohmann::json::object());
}

TEST(NetworkAction, ResetOnInterruptIsReadAndAResetEmptiesTheApi) {
  auto proxy = fault_proxy::start_fault_proxy();
  auto api = fault_proxy::start_control_api(*proxy, "127.0.0.1", 0, "test");
  test::TcpEchoServer echo;
  proxy->create_proxy({{"name", "redis"}, {"upstream", echo.address()}});
  proxy->create_proxy({{"name", "db"}, {"upstream", echo.address()}});
  const auto result = load(suite_with(R"(          proxy: redis
          toxic: {type: latency, attributes: {latency: 50}}
          resetOnInterrupt: true
)"), "http://127.0.0.1:" + std::to_string(api->port()));
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(errors_of(result));
  Action reset = result.suite.experiments[0].method[0];
  EXPECT_TRUE(reset.network().reset_on_interrupt);
  EXPECT_FALSE(load(suite_with("          proxy: redis\n          toxic: {type: timeout}\n")).suite.experiments[0].method[0]
                   .network().reset_on_interrupt);

  auto driver = make_action_driver(std::shared_ptr<http::HttpClient>(http::make_curl_client()));
  ASSERT_TRUE(driver->perform(reset, std::chrono::seconds(5), nullptr).ok);
  proxy->add_toxic("db", {{"name", "foreign"}, {"type", "latency"}, {"attributes", {{"latency", 5}}}});
  reset.network().reset = true;
  const auto outcome = driver->perform(reset, std::chrono::seconds(5), nullptr);
  EXPECT_TRUE(outcome.ok) << outcome.detail;
  EXPECT_NE(outcome.detail.find("removed (reset)"), std::string::npos) << outcome.detail;
  EXPECT_TRUE(proxy->toxics("redis").empty());
  EXPECT_TRUE(proxy->toxics("db").empty());
  api->stop();
  proxy->stop();
}

TEST(NetworkAction, MistakesNameLineAndField) {
  const auto result = load(suite_with(R"(          proxy: redis
          api: ftp://x
          toxic: {type: latncy, toxicity: 2, attributes: [1]}
          resetOnInterrupt: sometimes
)"));
  EXPECT_EQ(errors_of(result),
            (std::vector<std::string>{
                "suite.yaml:21:16: error: experiments[0].method[0].network.api: URL \"ftp://x\" must start with http:// or https://",
                "suite.yaml:22:25: error: experiments[0].method[0].network.toxic.type: \"latncy\" is not one of latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data, http_status, http_delay, drop_connect; did you mean \"latency\"?",
                "suite.yaml:22:43: error: experiments[0].method[0].network.toxic.toxicity: expected a number between 0 and 1",
                "suite.yaml:22:58: error: experiments[0].method[0].network.toxic.attributes: expected an object, found an array",
                "suite.yaml:23:29: error: experiments[0].method[0].network.resetOnInterrupt: expected true or false, found a string"}));
}

}  // namespace
}  // namespace chaosgate::system
