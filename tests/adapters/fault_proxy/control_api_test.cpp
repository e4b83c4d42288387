// The control API over real HTTP: Toxiproxy's status codes, shapes and errors.
#include "fault_proxy/control_api.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "support/tcp_echo_server.h"
#include "support/test_http_server.h"

namespace chaosgate::test {
namespace {

using nlohmann::json;

class FaultProxyControlApi : public ::testing::Test {
protected:
  void SetUp() override {
    m_proxy = fault_proxy::start_fault_proxy();
    m_api = fault_proxy::start_control_api(*m_proxy, "127.0.0.1", 0, "test-version");
    m_client = std::make_unique<httplib::Client>("127.0.0.1", m_api->port());
  }
  void TearDown() override {
    m_api->stop();
    m_proxy->stop();
  }

  // (status, parsed body or null)
  std::pair<int, json> call(const std::string& method, const std::string& path, const std::string& body = "") {
    httplib::Result result = method == "GET"      ? m_client->Get(path)
                             : method == "DELETE" ? m_client->Delete(path)
                             : method == "PATCH"  ? m_client->Patch(path, body, "application/json")
                                                  : m_client->Post(path, body, "application/json");
    EXPECT_TRUE(result) << method << " " << path;
    if (!result) return {0, json()};
    return {result->status, json::parse(result->body, nullptr, false)};
  }

  json create_echo() {
    auto [status, body] = call("POST", "/proxies", json{{"name", "echo"}, {"upstream", m_echo.address()}}.dump());
    EXPECT_EQ(status, 201);
    return body;
  }

  TcpEchoServer m_echo;
  std::unique_ptr<fault_proxy::FaultProxy> m_proxy;
  std::unique_ptr<fault_proxy::ControlApi> m_api;
  std::unique_ptr<httplib::Client> m_client;
};

TEST_F(FaultProxyControlApi, CreateShowListDelete) {
  const json created = create_echo();
  EXPECT_EQ(created.at("name"), "echo");
  EXPECT_EQ(created.at("upstream"), m_echo.address());
  EXPECT_EQ(created.at("enabled"), true);
  EXPECT_EQ(created.at("toxics"), json::array());
  EXPECT_EQ(created.at("listen").get<std::string>().rfind("127.0.0.1:", 0), 0u);  // loopback, free port

  auto [again, conflict] = call("POST", "/proxies", json{{"name", "echo"}, {"upstream", m_echo.address()}}.dump());
  EXPECT_EQ(again, 409);
  EXPECT_EQ(conflict, (json{{"error", "proxy already exists"}, {"status", 409}}));

  auto [list_status, list] = call("GET", "/proxies");
  EXPECT_EQ(list_status, 200);
  EXPECT_EQ(list.at("echo"), created);

  auto [show_status, shown] = call("GET", "/proxies/echo");
  EXPECT_EQ(show_status, 200);
  EXPECT_EQ(shown, created);

  EXPECT_EQ(call("DELETE", "/proxies/echo").first, 204);
  auto [gone, missing] = call("GET", "/proxies/echo");
  EXPECT_EQ(gone, 404);
  EXPECT_EQ(missing, (json{{"error", "proxy not found"}, {"status", 404}}));
  EXPECT_EQ(call("DELETE", "/proxies/echo").first, 404);
}

TEST_F(FaultProxyControlApi, BadCreateBodies) {
  auto [no_upstream, e1] = call("POST", "/proxies", R"({"name":"x"})");
  EXPECT_EQ(no_upstream, 400);
  EXPECT_EQ(e1, (json{{"error", "missing required field: upstream"}, {"status", 400}}));
  auto [no_name, e2] = call("POST", "/proxies", R"({"upstream":"127.0.0.1:9"})");
  EXPECT_EQ(no_name, 400);
  EXPECT_EQ(e2.at("error"), "missing required field: name");
  auto [not_json, e3] = call("POST", "/proxies", "{nope");
  EXPECT_EQ(not_json, 400);
  EXPECT_EQ(e3.at("error").get<std::string>().rfind("bad request body: ", 0), 0u);
  EXPECT_EQ(e3.at("status"), 400);
}

TEST_F(FaultProxyControlApi, ToxicsWithToxiproxyDefaults) {
  create_echo();
  auto [status, toxic] = call("POST", "/proxies/echo/toxics", R"({"type":"latency","attributes":{"latency":100}})");
  EXPECT_EQ(status, 200);
  EXPECT_EQ(toxic, (json{{"name", "latency_downstream"}, {"type", "latency"}, {"stream", "downstream"},
                         {"toxicity", 1.0}, {"attributes", {{"latency", 100}, {"jitter", 0}}}}));
  EXPECT_EQ(call("POST", "/proxies/echo/toxics", R"({"type":"latency"})").second,
            (json{{"error", "toxic already exists"}, {"status", 409}}));
  EXPECT_EQ(call("POST", "/proxies/echo/toxics", R"({"type":"nope"})").second,
            (json{{"error", "invalid toxic type"}, {"status", 400}}));
  EXPECT_EQ(call("POST", "/proxies/echo/toxics", R"({"type":"latency","stream":"sideways"})").first, 400);
  EXPECT_EQ(call("POST", "/proxies/nope/toxics", R"({"type":"latency"})").first, 404);

  auto [up_status, up] = call("POST", "/proxies/echo/toxics",
                              R"({"type":"bandwidth","stream":"upstream","toxicity":0.5,"attributes":{"rate":10}})");
  EXPECT_EQ(up_status, 200);
  EXPECT_EQ(up.at("name"), "bandwidth_upstream");
  EXPECT_EQ(up.at("toxicity"), 0.5);

  auto [list_status, list] = call("GET", "/proxies/echo/toxics");
  EXPECT_EQ(list_status, 200);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].at("name"), "latency_downstream");  // in the order they were added

  // A number no integer holds is refused, not cast (undefined for a double out of range).
  EXPECT_EQ(call("POST", "/proxies/echo/toxics/latency_downstream", R"({"attributes":{"jitter":1e30}})").second,
            (json{{"error", "bad request body: attribute jitter is too large"}, {"status", 400}}));

  auto [updated_status, updated] = call("POST", "/proxies/echo/toxics/latency_downstream", R"({"attributes":{"jitter":5}})");
  EXPECT_EQ(updated_status, 200);
  EXPECT_EQ(updated.at("attributes"), (json{{"latency", 100}, {"jitter", 5}}));
  EXPECT_EQ(call("PATCH", "/proxies/echo/toxics/latency_downstream", R"({"toxicity":0.25})").second.at("toxicity"), 0.25);
  EXPECT_EQ(call("GET", "/proxies/echo/toxics/latency_downstream").second, call("GET", "/proxies/echo/toxics").second[0]);
  EXPECT_EQ(call("GET", "/proxies/echo").second.at("toxics").size(), 2u);

  EXPECT_EQ(call("DELETE", "/proxies/echo/toxics/latency_downstream").first, 204);
  EXPECT_EQ(call("DELETE", "/proxies/echo/toxics/latency_downstream").second,
            (json{{"error", "toxic not found"}, {"status", 404}}));
  EXPECT_EQ(call("GET", "/proxies/echo/toxics/latency_downstream").first, 404);
}

TEST_F(FaultProxyControlApi, UpdateResetPopulateVersion) {
  create_echo();
  call("POST", "/proxies/echo/toxics", R"({"type":"timeout"})");
  auto [disabled_status, disabled] = call("POST", "/proxies/echo", R"({"enabled":false})");
  EXPECT_EQ(disabled_status, 200);
  EXPECT_EQ(disabled.at("enabled"), false);
  const std::string listen = disabled.at("listen");
  EXPECT_EQ(connect_local(std::stoi(listen.substr(listen.rfind(':') + 1))), -1);  // refused while disabled

  auto [reset_status, reset_body] = call("POST", "/reset");
  EXPECT_EQ(reset_status, 204);
  const json after = call("GET", "/proxies/echo").second;
  EXPECT_EQ(after.at("enabled"), true);
  EXPECT_EQ(after.at("toxics"), json::array());

  auto [populated_status, populated] = call("POST", "/populate",
      json::array({{{"name", "echo"}, {"upstream", m_echo.address()}},
                   {{"name", "second"}, {"listen", "127.0.0.1:0"}, {"upstream", m_echo.address()}}}).dump());
  EXPECT_EQ(populated_status, 201);
  ASSERT_EQ(populated.at("proxies").size(), 2u);
  EXPECT_EQ(populated.at("proxies")[0].at("listen"), after.at("listen"));  // unchanged proxy kept
  EXPECT_EQ(populated.at("proxies")[1].at("name"), "second");

  auto [bad_status, bad] = call("POST", "/populate", R"([{"name":"third","upstream":"127.0.0.1:9"},{"name":"fourth"}])");
  EXPECT_EQ(bad_status, 400);
  EXPECT_EQ(bad.at("error"), "missing required field: upstream");
  EXPECT_EQ(bad.at("proxies").size(), 1u);  // what was created before the error

  auto [version_status, version] = call("GET", "/version");
  EXPECT_EQ(version_status, 200);
  EXPECT_EQ(version, (json{{"version", "test-version"}}));
}

TEST_F(FaultProxyControlApi, BrowsersAreRefused) {
  httplib::Headers headers{{"User-Agent", "Mozilla/5.0"}};
  const auto result = m_client->Get("/proxies", headers);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 403);
}

}  // namespace
}  // namespace chaosgate::test
