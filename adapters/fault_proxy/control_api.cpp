// The control API's routes over api_server (its own threads): the API is a
// handful of small JSON calls, and each one is handed to the loop thread by
// FaultProxy's calls, so the data path never waits on HTTP parsing.
#include "fault_proxy/control_api.h"

#include <nlohmann/json.hpp>

#include <regex>
#include <vector>

#include "fault_proxy/api_error.h"
#include "fault_proxy/api_server.h"

namespace chaosgate::fault_proxy {
namespace {

ApiResponse json_response(int status, const nlohmann::json& body) {
  return {status, "application/json", body.dump() + "\n"};
}

ApiResponse error_response(const ApiError& error) {
  return json_response(error.status(), {{"error", error.what()}, {"status", error.status()}});
}

nlohmann::json parse_body(const ApiRequest& request) {
  if (request.body.empty()) return nlohmann::json::object();  // Toxiproxy's POST /reset has none
  try {
    return nlohmann::json::parse(request.body);
  } catch (const nlohmann::json::exception& e) {
    throw bad_request_body(e.what());
  }
}

// The path's captured segments: [1] the proxy, [2] the toxic.
using Captures = std::vector<std::string>;
using RouteHandler = std::function<ApiResponse(const ApiRequest&, const Captures&)>;

struct Route {
  std::string method;
  std::regex path;
  RouteHandler handler;
};

class SocketControlApi final : public ControlApi {
public:
  SocketControlApi(FaultProxy& proxy, const std::string& host, int port, std::string version)
      : m_proxy(proxy), m_version(std::move(version)) {
    routes();
    m_server = start_api_server(host, port, [this](const ApiRequest& request) { return answer(request); });
  }
  ~SocketControlApi() override { stop(); }

  int port() const override { return m_server->port(); }
  void stop() override { m_server->stop(); }

private:
  // Every route answers an ApiError as {"error", "status"}, like Toxiproxy; a
  // path no route matches is a 404 without a body.
  ApiResponse answer(const ApiRequest& request) const {
    // As Toxiproxy: a browser may not drive the API (no cross-site requests).
    if (request.header("user-agent").rfind("Mozilla/", 0) == 0) return {403, "text/plain", "User agent not allowed\n"};
    for (const auto& route : m_routes) {
      std::smatch match;
      if (route.method != request.method || !std::regex_match(request.path, match, route.path)) continue;
      const Captures captures(match.begin(), match.end());
      try {
        return route.handler(request, captures);
      } catch (const PopulateError& e) {
        return json_response(e.status(), {{"error", e.what()}, {"status", e.status()}, {"proxies", e.created()}});
      } catch (const ApiError& e) {
        return error_response(e);
      } catch (const std::exception& e) {
        return error_response(ApiError(500, e.what()));
      }
    }
    return {404, "", ""};
  }

  void on(const std::string& method, const std::string& path, RouteHandler handler) {
    m_routes.push_back({method, std::regex(path), std::move(handler)});
  }

  void routes() {
    auto& p = m_proxy;
    on("GET", "/version", [this](const auto&, const auto&) {
      return ApiResponse{200, "application/json;charset=utf-8", nlohmann::json{{"version", m_version}}.dump() + "\n"};
    });
    on("POST", "/reset", [&p](const auto&, const auto&) {
      p.reset();
      return ApiResponse{204, "", ""};
    });
    on("GET", "/proxies", [&p](const auto&, const auto&) { return json_response(200, p.proxies()); });
    on("POST", "/proxies", [&p](const auto& req, const auto&) { return json_response(201, p.create_proxy(parse_body(req))); });
    on("POST", "/populate", [&p](const auto& req, const auto&) { return json_response(201, p.populate(parse_body(req))); });

    const std::string proxy = R"(/proxies/([^/]+))";
    on("GET", proxy, [&p](const auto&, const auto& m) { return json_response(200, p.proxy(m[1])); });
    const RouteHandler update = [&p](const auto& req, const auto& m) {
      return json_response(200, p.update_proxy(m[1], parse_body(req)));
    };
    on("POST", proxy, update);
    on("PATCH", proxy, update);
    on("DELETE", proxy, [&p](const auto&, const auto& m) {
      p.delete_proxy(m[1]);
      return ApiResponse{204, "", ""};
    });

    const std::string toxics = proxy + "/toxics";
    on("GET", toxics, [&p](const auto&, const auto& m) { return json_response(200, p.toxics(m[1])); });
    // Toxiproxy answers a created toxic with 200, not 201; clients rely on neither.
    on("POST", toxics, [&p](const auto& req, const auto& m) { return json_response(200, p.add_toxic(m[1], parse_body(req))); });
    const std::string toxic = toxics + "/([^/]+)";
    on("GET", toxic, [&p](const auto&, const auto& m) { return json_response(200, p.toxic(m[1], m[2])); });
    const RouteHandler update_toxic = [&p](const auto& req, const auto& m) {
      return json_response(200, p.update_toxic(m[1], m[2], parse_body(req)));
    };
    on("POST", toxic, update_toxic);
    on("PATCH", toxic, update_toxic);
    on("DELETE", toxic, [&p](const auto&, const auto& m) {
      p.remove_toxic(m[1], m[2]);
      return ApiResponse{204, "", ""};
    });
  }

  FaultProxy& m_proxy;
  std::string m_version;
  std::vector<Route> m_routes;  // filled before the server starts, read-only after
  std::unique_ptr<ApiServer> m_server;
};

}  // namespace

std::unique_ptr<ControlApi> start_control_api(FaultProxy& proxy, const std::string& host, int port,
                                              const std::string& version) {
  return std::make_unique<SocketControlApi>(proxy, host, port, version);
}

}  // namespace chaosgate::fault_proxy
