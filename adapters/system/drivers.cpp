#include "system/drivers.h"

#include <signal.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "process/process_runner.h"
#include "system/tcp_connect.h"
#include "util/text.h"

namespace chaosgate::system {

namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

constexpr std::size_t k_max_body = 1024 * 1024;  // probes judge status and small bodies, not downloads

std::string describe_failure(const http::Failure& failure) {
  switch (failure.kind) {
    case http::FailureKind::connect: return "connection refused: " + failure.message;
    case http::FailureKind::timeout: return "timed out: " + failure.message;
    case http::FailureKind::cancelled: return "cut short: " + failure.message;
    default: return failure.message;
  }
}

// `stop`: the experiment's Cancellation where the call may be given up (see ports.h).
http::Request to_request(const HttpRequestSpec& spec, milliseconds timeout, const Cancellation* stop = nullptr) {
  http::Request request;
  request.stop = stop;
  request.method = spec.method;
  request.url = spec.url;
  for (const auto& header : spec.headers) request.headers.push_back(header);
  request.body = spec.body;
  request.timeout = timeout;
  request.connect_timeout = std::min(timeout, milliseconds(5000));
  request.max_response_bytes = k_max_body;
  request.follow_redirects = false;  // a probe judges what the endpoint itself answers
  return request;
}

class RealProbeDriver final : public ProbeDriver {
public:
  explicit RealProbeDriver(std::shared_ptr<http::HttpClient> client) : m_client(std::move(client)) {}

  using ProbeDriver::sample;
  Observation sample(const Probe& probe, const Cancellation* stop) override {
    switch (probe.kind) {
      case ProbeKind::http: return http_sample(probe.http(), stop);
      case ProbeKind::tcp: return tcp_sample(probe.tcp());  // bounded by its short connect timeout
      case ProbeKind::command: return command_sample(probe.command(), stop);
      case ProbeKind::prometheus: return prometheus_sample(probe.prometheus(), stop);
    }
    return {};
  }

private:
  Observation http_sample(const HttpRequestSpec& spec, const Cancellation* stop) {
    Observation observation;
    const auto result = m_client->send(to_request(spec, spec.timeout, stop));
    if (const auto* failure = std::get_if<http::Failure>(&result)) {
      observation.error = describe_failure(*failure);
      return observation;
    }
    const auto& response = std::get<http::Response>(result);
    observation.reached = true;
    observation.status = response.status;
    observation.body = response.body;
    observation.latency_ms = static_cast<double>(response.elapsed.count()) / 1000.0;
    return observation;
  }

  Observation tcp_sample(const TcpSpec& spec) {
    Observation observation;
    const auto start = std::chrono::steady_clock::now();
    observation.error = tcp_connect(spec.host, spec.port, spec.timeout);
    observation.reached = observation.error.empty();
    observation.latency_ms =
        static_cast<double>(duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count()) / 1000.0;
    return observation;
  }

  Observation command_sample(const CommandSpec& spec, const Cancellation* stop) {
    Observation observation;
    const auto result = process::run_process(spec, spec.timeout, 64 * 1024, stop);
    observation.latency_ms = static_cast<double>(result.elapsed.count()) / 1000.0;
    if (!result.started || result.timed_out || result.cut_short) {
      observation.error = result.error;
      return observation;
    }
    observation.reached = true;
    observation.exit_code = result.exit_code;
    observation.body = result.output;
    return observation;
  }

  // An instant query; the first series' value is the observation. An empty
  // result is "no data", never a pass: monitoring must see the system.
  Observation prometheus_sample(const PrometheusSpec& spec, const Cancellation* stop) {
    Observation observation;
    HttpRequestSpec query;
    std::string base = spec.url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    query.url = base + "/api/v1/query?query=" + percent_encode(spec.query);
    const auto result = m_client->send(to_request(query, spec.timeout, stop));
    if (const auto* failure = std::get_if<http::Failure>(&result)) {
      observation.error = (failure->kind == http::FailureKind::cancelled ? "" : "Prometheus unreachable: ") + describe_failure(*failure);
      return observation;
    }
    const auto& response = std::get<http::Response>(result);
    observation.latency_ms = static_cast<double>(response.elapsed.count()) / 1000.0;
    const auto document = nlohmann::json::parse(response.body, nullptr, false);
    if (response.status != 200 || document.is_discarded() || document.value("status", "") != "success") {
      observation.error = "Prometheus answered HTTP " + std::to_string(response.status) +
                          (document.is_object() && document.contains("error") ? ": " + document["error"].get<std::string>() : "");
      return observation;
    }
    observation.reached = true;
    const auto& data = document["data"];
    const auto& value = data["resultType"] == "scalar" ? data["result"] : data["result"].empty() ? nlohmann::json() : data["result"][0]["value"];
    if (value.is_array() && value.size() == 2 && value[1].is_string()) {
      try {
        observation.value = std::stod(value[1].get<std::string>());
      } catch (const std::exception&) {
        observation.error = "Prometheus value is not a number";
      }
    }
    return observation;
  }

  std::shared_ptr<http::HttpClient> m_client;
};

int signal_number(const std::string& name) {
  static const std::pair<const char*, int> k_signals[] = {
      {"SIGSTOP", SIGSTOP}, {"SIGCONT", SIGCONT}, {"SIGKILL", SIGKILL}, {"SIGTERM", SIGTERM},
      {"SIGINT", SIGINT},   {"SIGHUP", SIGHUP},   {"SIGUSR1", SIGUSR1}, {"SIGUSR2", SIGUSR2}};
  for (const auto& [spelling, number] : k_signals)
    if (name == spelling) return number;
  return 0;
}

class RealActionDriver final : public ActionDriver {
public:
  explicit RealActionDriver(std::shared_ptr<http::HttpClient> client) : m_client(std::move(client)) {}

  ActionOutcome perform(const Action& action, milliseconds timeout, const Cancellation* stop) override {
    switch (action.kind) {
      case ActionKind::command: return command(action, timeout, stop);
      case ActionKind::http: return http(action, timeout, stop);
      case ActionKind::signal: return send_signal(action.signal());
      case ActionKind::network: return network(action.network(), timeout);
      case ActionKind::pause: break;
    }
    return {false, "internal: pauses are not performed by a driver"};
  }

private:
  ActionOutcome command(const Action& action, milliseconds timeout, const Cancellation* stop) {
    const auto result = process::run_process(action.command(), timeout, 64 * 1024, stop);
    if (!result.started || result.timed_out || result.cut_short) return {false, result.error};
    const int wanted = action.expect().exit_code.value_or(0);
    std::string detail = "exit " + std::to_string(result.exit_code);
    if (result.exit_code != wanted) {
      std::string output = result.output.substr(0, 300);
      while (!output.empty() && (output.back() == '\n' || output.back() == '\r')) output.pop_back();
      return {false, detail + " (expected " + std::to_string(wanted) + ")" + (output.empty() ? "" : ": " + output)};
    }
    return {true, detail};
  }

  ActionOutcome http(const Action& action, milliseconds timeout, const Cancellation* stop) {
    const auto result = m_client->send(to_request(action.http(), timeout, stop));
    if (const auto* failure = std::get_if<http::Failure>(&result)) return {false, describe_failure(*failure)};
    const long status = std::get<http::Response>(result).status;
    const auto& expect = action.expect();
    const bool ok = !expect.status_codes.empty()
                        ? std::find(expect.status_codes.begin(), expect.status_codes.end(), status) != expect.status_codes.end()
                    : expect.status_range ? status >= expect.status_range->first && status <= expect.status_range->second
                                          : status >= 200 && status <= 299;
    return {ok, "HTTP " + std::to_string(status)};
  }

  // Toxiproxy's API: POST /proxies/{proxy}/toxics adds, DELETE
  // /proxies/{proxy}/toxics/{name} removes (a toxic already gone is fine),
  // POST /reset removes every toxic of every proxy.
  ActionOutcome network(const NetworkSpec& spec, milliseconds timeout) {
    std::string base = spec.api;
    while (!base.empty() && base.back() == '/') base.pop_back();
    HttpRequestSpec request;
    request.url = base + "/proxies/" + percent_encode(spec.proxy) + "/toxics";
    if (spec.reset) {
      request.method = "POST";
      request.url = base + "/reset";
    } else if (spec.remove) {
      request.method = "DELETE";
      request.url += "/" + percent_encode(spec.toxic_name);
    } else {
      request.method = "POST";
      request.headers["Content-Type"] = "application/json";
      request.body = spec.toxic_json;
    }
    const auto result = m_client->send(to_request(request, timeout));
    if (const auto* failure = std::get_if<http::Failure>(&result)) return {false, describe_failure(*failure)};
    const auto& response = std::get<http::Response>(result);
    const std::string what = spec.reset    ? "every toxic of " + base + " removed (reset)"
                             : spec.remove ? "toxic " + spec.toxic_name + " removed from " + spec.proxy
                                           : "toxic " + spec.toxic_name + " added to " + spec.proxy;
    if (spec.remove && !spec.reset && response.status == 404) return {true, "toxic " + spec.toxic_name + " already gone from " + spec.proxy + " (HTTP 404)"};
    if (response.status >= 200 && response.status <= 299) return {true, what + " (HTTP " + std::to_string(response.status) + ")"};
    return {false, "HTTP " + std::to_string(response.status) + " from " + request.method + " " + request.url + ": " + response.body.substr(0, 300)};
  }

  ActionOutcome send_signal(const SignalSpec& spec) {
    std::ifstream in(spec.pid_file);
    long pid = 0;
    if (!(in >> pid) || pid <= 1) return {false, "no valid pid in " + spec.pid_file};
    const int number = signal_number(spec.signal);
    if (!number) return {false, "unknown signal " + spec.signal};
    if (kill(static_cast<pid_t>(pid), number) != 0)
      return {false, spec.signal + " -> pid " + std::to_string(pid) + ": " + std::strerror(errno)};
    return {true, spec.signal + " -> pid " + std::to_string(pid)};
  }

  std::shared_ptr<http::HttpClient> m_client;
};

}  // namespace

std::unique_ptr<ProbeDriver> make_probe_driver(std::shared_ptr<http::HttpClient> client) {
  return std::make_unique<RealProbeDriver>(std::move(client));
}

std::unique_ptr<ActionDriver> make_action_driver(std::shared_ptr<http::HttpClient> client) {
  return std::make_unique<RealActionDriver>(std::move(client));
}

}  // namespace chaosgate::system
