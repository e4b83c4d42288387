#include "system/drivers.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "http/plain_http_client.h"
#include "support/cancel_after.h"
#include "support/temp_dir.h"
#include "support/test_http_server.h"

namespace chaosgate::system {

namespace {
std::shared_ptr<http::HttpClient> client() { return std::shared_ptr<http::HttpClient>(http::make_curl_client()); }

Probe prometheus_probe(const std::string& url, const std::string& query) {
  Probe probe;
  probe.name = "prom";
  probe.kind = ProbeKind::prometheus;
  probe.prometheus().url = url;
  probe.prometheus().query = query;
  return probe;
}
}  // namespace

TEST(Drivers, HttpProbeReportsStatusBodyAndLatency) {
  test::TestHttpServer server;
  server.on("GET", "/health", [](const httplib::Request&, httplib::Response& response) {
    response.status = 503;
    response.set_content("{\"status\":\"down\"}", "application/json");
  });
  server.start();
  Probe probe;
  probe.kind = ProbeKind::http;
  probe.http().url = server.url("/health");
  probe.http().headers["X-Trace"] = "chaos";
  const auto observation = make_probe_driver(client())->sample(probe);
  EXPECT_TRUE(observation.reached);
  EXPECT_EQ(observation.status, 503);
  EXPECT_EQ(observation.body, "{\"status\":\"down\"}");
  EXPECT_GT(observation.latency_ms, 0);
  EXPECT_EQ(server.requests().at(0).header("x-trace"), "chaos");
}

TEST(Drivers, TcpProbeConnectsOrSaysWhy) {
  test::TestHttpServer server;
  server.start();
  Probe probe;
  probe.kind = ProbeKind::tcp;
  probe.tcp() = {"127.0.0.1", server.port(), Millis(1000)};
  auto driver = make_probe_driver(client());
  EXPECT_TRUE(driver->sample(probe).reached);
  probe.tcp().port = test::closed_port();
  const auto refused = driver->sample(probe);
  EXPECT_FALSE(refused.reached);
  EXPECT_EQ(refused.error, "connection refused");
}

TEST(Drivers, PrometheusInstantQuery) {
  test::TestHttpServer server;
  server.on("GET", "/api/v1/query", [](const httplib::Request& request, httplib::Response& response) {
    const std::string query = request.get_param_value("query");
    if (query == "up == 1")
      response.set_content(R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000.1,"2"]}]}})", "application/json");
    else if (query == "bad(")
      response.status = 400, response.set_content(R"({"status":"error","errorType":"bad_data","error":"parse error"})", "application/json");
    else
      response.set_content(R"({"status":"success","data":{"resultType":"vector","result":[]}})", "application/json");
  });
  server.start();
  auto driver = make_probe_driver(client());
  const auto up = driver->sample(prometheus_probe(server.url(), "up == 1"));
  EXPECT_TRUE(up.reached);
  ASSERT_TRUE(up.value);
  EXPECT_EQ(*up.value, 2);
  // The query reached the server exactly, percent-encoded.
  EXPECT_EQ(server.requests().at(0).target, "/api/v1/query?query=up%20%3D%3D%201");

  const auto empty = driver->sample(prometheus_probe(server.url() + "/", "absent_metric"));
  EXPECT_TRUE(empty.reached);
  EXPECT_FALSE(empty.value) << "no data is not a value";
  const auto bad = driver->sample(prometheus_probe(server.url(), "bad("));
  EXPECT_FALSE(bad.reached);
  EXPECT_EQ(bad.error, "Prometheus answered HTTP 400: parse error");
  const auto down = driver->sample(prometheus_probe("http://127.0.0.1:" + std::to_string(test::closed_port()), "up"));
  EXPECT_FALSE(down.reached);
  EXPECT_NE(down.error.find("Prometheus unreachable"), std::string::npos);
}

TEST(Drivers, SignalActionStopsAndResumesAProcessFromItsPidFile) {
  test::TempDir dir;
  const pid_t child = fork();
  if (child == 0) {
    execlp("sleep", "sleep", "30", static_cast<char*>(nullptr));
    _exit(127);
  }
  const std::string pid_file = dir.path().string() + "/target.pid";
  std::ofstream(pid_file) << child << "\n";
  auto driver = make_action_driver(client());
  Action stop;
  stop.kind = ActionKind::signal;
  stop.signal() = {pid_file, "SIGSTOP"};
  const auto stopped = driver->perform(stop, Millis(1000), nullptr);
  EXPECT_TRUE(stopped.ok) << stopped.detail;
  EXPECT_EQ(stopped.detail, "SIGSTOP -> pid " + std::to_string(child));
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, WUNTRACED), child);
  EXPECT_TRUE(WIFSTOPPED(status));
  Action resume = stop;
  resume.signal().signal = "SIGCONT";
  EXPECT_TRUE(driver->perform(resume, Millis(1000), nullptr).ok);
  ASSERT_EQ(waitpid(child, &status, WCONTINUED), child);
  EXPECT_TRUE(WIFCONTINUED(status));
  kill(child, SIGKILL);
  waitpid(child, &status, 0);

  Action missing = stop;
  missing.signal().pid_file = dir.path().string() + "/none.pid";
  EXPECT_FALSE(driver->perform(missing, Millis(1000), nullptr).ok);
}

TEST(Drivers, CommandActionChecksTheExitCode) {
  auto driver = make_action_driver(client());
  Action action;
  action.kind = ActionKind::command;
  action.command().argv = {"sh", "-c", "echo broken >&2; exit 2"};
  auto outcome = driver->perform(action, Millis(5000), nullptr);
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.detail, "exit 2 (expected 0): broken");
  action.expect().exit_code = 2;
  EXPECT_TRUE(driver->perform(action, Millis(5000), nullptr).ok);
}

TEST(Drivers, HttpActionExpectsSuccessByDefault) {
  test::TestHttpServer server;
  server.on("POST", "/admin/fault", [](const httplib::Request&, httplib::Response& response) { response.status = 204; });
  server.start();
  auto driver = make_action_driver(client());
  Action action;
  action.kind = ActionKind::http;
  action.http().method = "POST";
  action.http().url = server.url("/admin/fault");
  action.http().body = "{\"latencyMs\":200}";
  const auto outcome = driver->perform(action, Millis(2000), nullptr);
  EXPECT_TRUE(outcome.ok);
  EXPECT_EQ(outcome.detail, "HTTP 204");
  EXPECT_EQ(server.requests().at(0).body, "{\"latencyMs\":200}");
  action.http().url = server.url("/missing");
  EXPECT_FALSE(driver->perform(action, Millis(2000), nullptr).ok);
}

// A steady-state probe still waiting when the gate is interrupted is given up.
TEST(Drivers, HttpAndCommandProbesAreCutShortByTheirStop) {
  test::TestHttpServer server;
  server.on("GET", "/slow", [](const httplib::Request&, httplib::Response& response) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    response.status = 200;
  });
  server.start();
  Probe http_probe;
  http_probe.kind = ProbeKind::http;
  http_probe.http().url = server.url("/slow");
  http_probe.http().timeout = Millis(20000);
  Probe command_probe;
  command_probe.kind = ProbeKind::command;
  command_probe.command().argv = {"sleep", "30"};
  command_probe.command().timeout = Millis(20000);
  auto driver = make_probe_driver(std::shared_ptr<http::HttpClient>(http::make_http_client()));
  for (const Probe* probe : {&http_probe, &command_probe}) {
    Cancellation stop;
    test::CancelAfter interrupt(stop, std::chrono::milliseconds(200), "interrupted by SIGINT");
    const auto start = std::chrono::steady_clock::now();
    const auto observation = driver->sample(*probe, &stop);
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_FALSE(observation.reached);
    EXPECT_EQ(observation.error.rfind("cut short: ", 0), 0u) << observation.error;
    EXPECT_LT(took, std::chrono::milliseconds(1500)) << observation.error;
  }
}

// A method action still running when the experiment is aborted is given up,
// so the rollbacks start at once; the detail says why.
TEST(Drivers, CommandAndHttpActionsAreCutShortByTheirStop) {
  test::TestHttpServer server;
  server.on("POST", "/admin/fault", [](const httplib::Request&, httplib::Response& response) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    response.status = 204;
  });
  server.start();
  Action command;
  command.kind = ActionKind::command;
  command.command().argv = {"sleep", "30"};
  Action http_action;
  http_action.kind = ActionKind::http;
  http_action.http().method = "POST";
  http_action.http().url = server.url("/admin/fault");
  // The driver routes http:// to the plain client, as the gate does.
  auto driver = make_action_driver(std::shared_ptr<http::HttpClient>(http::make_http_client()));
  for (const Action* action : {&command, &http_action}) {
    Cancellation stop;
    test::CancelAfter breach(stop, std::chrono::milliseconds(200), "stop condition errors breached");
    const auto start = std::chrono::steady_clock::now();
    const auto outcome = driver->perform(*action, Millis(20000), &stop);
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_FALSE(outcome.ok);
    EXPECT_EQ(outcome.detail.rfind("cut short: ", 0), 0u) << outcome.detail;
    EXPECT_NE(outcome.detail.find("stop condition errors breached"), std::string::npos) << outcome.detail;
    EXPECT_LT(took, std::chrono::milliseconds(1500)) << outcome.detail;
  }
}

}  // namespace chaosgate::system
