#pragma once
// The built-in fault proxy: named TCP proxies with Toxiproxy's toxics (and a
// few of ours), on epoll event-loop threads, one per core by default. The
// first loop (the control loop) owns the proxies and accepts; each accepted
// connection lives on one loop, handed out round-robin. Every call is
// thread-safe: it is handed to the control loop and waits for its answer and
// for every loop to have applied it (a toxic added is in force on all open
// connections when add_toxic returns). JSON in and out has
// Toxiproxy's shapes, so the control API only routes.
#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace chaosgate::fault_proxy {

class FaultProxy {
public:
  virtual ~FaultProxy() = default;

  // Each throws ApiError (api_error.h) with Toxiproxy's status and message:
  // 400 bad body / missing field / bad toxic, 404 unknown proxy or toxic,
  // 409 a name already taken, 500 a listen address that cannot be bound.
  virtual nlohmann::json proxies() = 0;                                    // {name: proxy}
  virtual nlohmann::json create_proxy(const nlohmann::json& body) = 0;     // the proxy
  virtual nlohmann::json populate(const nlohmann::json& body) = 0;         // {"proxies": [...]}
  virtual nlohmann::json proxy(const std::string& name) = 0;
  virtual nlohmann::json update_proxy(const std::string& name, const nlohmann::json& body) = 0;
  virtual void delete_proxy(const std::string& name) = 0;
  virtual nlohmann::json toxics(const std::string& proxy) = 0;             // [toxic]
  virtual nlohmann::json add_toxic(const std::string& proxy, const nlohmann::json& body) = 0;
  virtual nlohmann::json toxic(const std::string& proxy, const std::string& name) = 0;
  virtual nlohmann::json update_toxic(const std::string& proxy, const std::string& name, const nlohmann::json& body) = 0;
  virtual void remove_toxic(const std::string& proxy, const std::string& name) = 0;
  // Every proxy enabled again and every toxic removed.
  virtual void reset() = 0;

  // Open client connections of a proxy (0 for an unknown one), in all and per
  // loop (empty for an unknown one): for tests and logs.
  virtual std::size_t connection_count(const std::string& proxy) = 0;
  virtual std::vector<std::size_t> connection_count_per_loop(const std::string& proxy) = 0;
  // How many event-loop threads carry connections.
  virtual std::size_t loop_count() const = 0;
  // Closes every proxy and connection and ends the loop thread; idempotent.
  virtual void stop() = 0;
};

// Starts `loops` event-loop threads (0: one per core) with no proxy. Throws
// std::system_error when epoll cannot be set up.
std::unique_ptr<FaultProxy> start_fault_proxy(std::size_t loops = 0);

}  // namespace chaosgate::fault_proxy
