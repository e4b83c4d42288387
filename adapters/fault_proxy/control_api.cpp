// cpp-httplib serves the control API on its own threads: the API is a handful
// of small JSON calls, and each one is handed to the loop thread by
// FaultProxy's calls, so the data path never waits on HTTP parsing and no
// second HTTP parser is needed.
#include "fault_proxy/control_api.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <stdexcept>
#include <thread>

#include "fault_proxy/api_error.h"

namespace chaosgate::fault_proxy {
namespace {

void send_json(httplib::Response& response, int status, const nlohmann::json& body) {
  response.status = status;
  response.set_content(body.dump() + "\n", "application/json");
}

void send_error(httplib::Response& response, const ApiError& error) {
  send_json(response, error.status(), {{"error", error.what()}, {"status", error.status()}});
}

nlohmann::json parse_body(const httplib::Request& request) {
  if (request.body.empty()) return nlohmann::json::object();  // Toxiproxy's POST /reset has none
  try {
    return nlohmann::json::parse(request.body);
  } catch (const nlohmann::json::exception& e) {
    throw bad_request_body(e.what());
  }
}

class HttplibControlApi final : public ControlApi {
public:
  HttplibControlApi(FaultProxy& proxy, const std::string& host, int port, std::string version)
      : m_proxy(proxy), m_version(std::move(version)) {
    routes();
    m_port = port == 0 ? m_server.bind_to_any_port(host) : (m_server.bind_to_port(host, port) ? port : -1);
    if (m_port <= 0) throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port));
    m_thread = std::thread([this] { m_server.listen_after_bind(); });
  }
  ~HttplibControlApi() override { stop(); }

  int port() const override { return m_port; }
  void stop() override {
    if (!m_thread.joinable()) return;
    m_server.stop();
    m_thread.join();
  }

private:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

  // Every handler answers an ApiError as {"error", "status"}, like Toxiproxy.
  Handler guarded(Handler handler) {
    return [handler](const httplib::Request& request, httplib::Response& response) {
      // As Toxiproxy: a browser may not drive the API (no cross-site requests).
      if (request.get_header_value("User-Agent").rfind("Mozilla/", 0) == 0) {
        response.status = 403;
        response.set_content("User agent not allowed\n", "text/plain");
        return;
      }
      try {
        handler(request, response);
      } catch (const PopulateError& e) {
        send_json(response, e.status(), {{"error", e.what()}, {"status", e.status()}, {"proxies", e.created()}});
      } catch (const ApiError& e) {
        send_error(response, e);
      } catch (const std::exception& e) {
        send_error(response, ApiError(500, e.what()));
      }
    };
  }

  void routes() {
    auto& s = m_server;
    auto& p = m_proxy;
    s.Get("/version", guarded([this](const auto&, auto& res) {
      res.set_content(nlohmann::json{{"version", m_version}}.dump() + "\n", "application/json;charset=utf-8");
    }));
    s.Post("/reset", guarded([&p](const auto&, auto& res) {
      p.reset();
      res.status = 204;
    }));
    s.Get("/proxies", guarded([&p](const auto&, auto& res) { send_json(res, 200, p.proxies()); }));
    s.Post("/proxies", guarded([&p](const auto& req, auto& res) { send_json(res, 201, p.create_proxy(parse_body(req))); }));
    s.Post("/populate", guarded([&p](const auto& req, auto& res) { send_json(res, 201, p.populate(parse_body(req))); }));

    const std::string proxy = R"(/proxies/([^/]+))";
    s.Get(proxy, guarded([&p](const auto& req, auto& res) { send_json(res, 200, p.proxy(req.matches[1])); }));
    const Handler update = guarded([&p](const auto& req, auto& res) {
      send_json(res, 200, p.update_proxy(req.matches[1], parse_body(req)));
    });
    s.Post(proxy, update);
    s.Patch(proxy, update);
    s.Delete(proxy, guarded([&p](const auto& req, auto& res) {
      p.delete_proxy(req.matches[1]);
      res.status = 204;
    }));

    const std::string toxics = proxy + "/toxics";
    s.Get(toxics, guarded([&p](const auto& req, auto& res) { send_json(res, 200, p.toxics(req.matches[1])); }));
    // Toxiproxy answers a created toxic with 200, not 201; clients rely on neither.
    s.Post(toxics, guarded([&p](const auto& req, auto& res) {
      send_json(res, 200, p.add_toxic(req.matches[1], parse_body(req)));
    }));
    const std::string toxic = toxics + "/([^/]+)";
    s.Get(toxic, guarded([&p](const auto& req, auto& res) {
      send_json(res, 200, p.toxic(req.matches[1], req.matches[2]));
    }));
    const Handler update_toxic = guarded([&p](const auto& req, auto& res) {
      send_json(res, 200, p.update_toxic(req.matches[1], req.matches[2], parse_body(req)));
    });
    s.Post(toxic, update_toxic);
    s.Patch(toxic, update_toxic);
    s.Delete(toxic, guarded([&p](const auto& req, auto& res) {
      p.remove_toxic(req.matches[1], req.matches[2]);
      res.status = 204;
    }));
  }

  FaultProxy& m_proxy;
  std::string m_version;
  httplib::Server m_server;
  int m_port = -1;
  std::thread m_thread;
};

}  // namespace

std::unique_ptr<ControlApi> start_control_api(FaultProxy& proxy, const std::string& host, int port,
                                              const std::string& version) {
  return std::make_unique<HttplibControlApi>(proxy, host, port, version);
}

}  // namespace chaosgate::fault_proxy
