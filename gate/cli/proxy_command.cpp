#include <signal.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "fault_proxy/api_error.h"
#include "fault_proxy/control_api.h"
#include "fault_proxy/fault_proxy.h"
#include "fault_proxy/proxy_config.h"
#include "util/errors.h"

namespace chaosgate::cli {
namespace {

struct HostPort {
  std::string host;
  int port = 0;
};

HostPort parse_listen(const std::string& text) {
  const auto colon = text.rfind(':');
  HostPort result;
  try {
    if (colon == std::string::npos) throw std::invalid_argument("no port");
    result.host = text.substr(0, colon);
    if (result.host.empty()) result.host = "127.0.0.1";
    std::size_t used = 0;
    result.port = std::stoi(text.substr(colon + 1), &used);
    if (used != text.size() - colon - 1 || result.port < 0 || result.port > 65535) throw std::invalid_argument("port");
  } catch (const std::exception&) {
    throw UserError("--listen: expected HOST:PORT (e.g. 127.0.0.1:8474), found \"" + text + "\"");
  }
  return result;
}

int serve(const std::string& config, const std::string& listen, int loops) {
  if (loops < 0) throw UserError("--loops: expected 0 (one per core) or more, found " + std::to_string(loops));
  const HostPort control = parse_listen(listen);
  const auto configured = config.empty() ? std::vector<fault_proxy::ConfiguredProxy>{}
                                         : fault_proxy::read_proxy_config(config);

  // SIGINT/SIGTERM are taken by sigwait below; blocked before any thread
  // starts so every thread inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto proxy = fault_proxy::start_fault_proxy(static_cast<std::size_t>(loops));
  for (const auto& entry : configured) {
    try {
      const auto created = proxy->create_proxy(
          {{"name", entry.name}, {"listen", entry.listen}, {"upstream", entry.upstream}, {"enabled", entry.enabled}});
      spdlog::info("proxy {}: {} -> {}{}", entry.name, created.at("listen").get<std::string>(), entry.upstream,
                   entry.enabled ? "" : " (disabled)");
    } catch (const fault_proxy::ApiError& e) {
      throw UserError(entry.location.to_string() + ": [" + entry.name + "].listen: " + e.what());
    }
  }
  std::unique_ptr<fault_proxy::ControlApi> api;
  try {
    api = fault_proxy::start_control_api(*proxy, control.host, control.port, CHAOSGATE_VERSION "-chaosgate");
  } catch (const std::runtime_error& e) {
    throw UserError(std::string("--listen: ") + e.what());
  }
  // One line on stdout, so a script that asked for port 0 learns the port.
  std::printf("control API on http://%s:%d\n", control.host.c_str(), api->port());
  std::fflush(stdout);

  int received = 0;
  sigwait(&stop_signals, &received);
  spdlog::info("{}: stopping the fault proxy", received == SIGINT ? "SIGINT" : "SIGTERM");
  api->stop();
  proxy->stop();  // closes every listener and connection
  return k_exit_passed;
}

}  // namespace

CommandSpec proxy_command() {
  return {"proxy", "Run the built-in fault proxy (Toxiproxy-compatible HTTP API) until SIGINT/SIGTERM",
          "  chaosgate proxy --listen 127.0.0.1:8474\n"
          "  chaosgate proxy --config proxies.json   # [{\"name\":\"redis\",\"listen\":\"127.0.0.1:26379\",\"upstream\":\"127.0.0.1:6379\"}]\n"
          "  curl -X POST 127.0.0.1:8474/proxies/redis/toxics -d '{\"type\":\"latency\",\"attributes\":{\"latency\":300}}'",
          [](CLI::App& command) {
            auto config = std::make_shared<std::string>();
            auto listen = std::make_shared<std::string>("127.0.0.1:8474");
            auto loops = std::make_shared<int>(0);
            command.add_option("--config", *config, "Proxies to create at start (Toxiproxy's JSON config format)")
                ->check(CLI::ExistingFile);
            command.add_option("--listen", *listen, "Address of the HTTP control API")->capture_default_str();
            command.add_option("--loops", *loops, "Event-loop threads carrying connections (0: one per core)")
                ->capture_default_str();
            return [config, listen, loops] { return serve(*config, *listen, *loops); };
          }};
}

}  // namespace chaosgate::cli
