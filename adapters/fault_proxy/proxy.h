#pragma once
// One named proxy: a listening socket, its upstream and its toxics (in the
// order they were added). Lives on the control loop, which accepts; accepted
// sockets go round-robin to the proxy's shards, one per event loop, where
// their links live (proxy_shard.h). Toxic changes are posted to every shard.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "fault_proxy/event_loop.h"
#include "fault_proxy/proxy_shard.h"
#include "fault_proxy/socket_address.h"
#include "fault_proxy/toxic.h"

namespace chaosgate::fault_proxy {

struct ProxySpec {
  std::string name;
  std::string listen;  // "host:port"; empty = 127.0.0.1:0 (a free port)
  std::string upstream;
  bool enabled = true;
};

class Proxy {
public:
  // `loops`: every event loop; loops[0] is the control loop this proxy lives on.
  Proxy(const std::vector<EventLoop*>& loops, ProxySpec spec);
  ~Proxy();
  Proxy(const Proxy&) = delete;
  Proxy& operator=(const Proxy&) = delete;

  // Listens (the port actually bound replaces a 0 in `listen`). Throws ApiError:
  // 400 for an address that does not parse, 500 when it cannot be bound.
  void start();
  // Closes the listener; every link is closed by a task posted to its loop.
  void stop();
  // listen / upstream / enabled from a POST body; restarts when they change.
  void update(const nlohmann::json& body);

  const ProxySpec& spec() const { return m_spec; }
  bool running() const { return m_listen_fd >= 0; }
  // Open links on every loop together, and on each loop (loops[0] first).
  std::size_t link_count() const;
  std::vector<std::size_t> link_count_per_loop() const;
  nlohmann::json to_json() const;  // Toxiproxy's shape: name, listen, upstream, enabled, toxics

  // Throw ApiError 409 (exists) / 404 (not found).
  const Toxic& add_toxic(Toxic toxic);
  const Toxic& update_toxic(const std::string& name, const nlohmann::json& body);
  void remove_toxic(const std::string& name);
  const Toxic* find_toxic(const std::string& name) const;
  void remove_all_toxics();

private:
  void accept_all();
  double random_unit() { return m_unit(m_random); }
  void make_shards();
  template <typename Change>
  void post_to_shards(Change change);

  std::vector<EventLoop*> m_loops;
  EventLoop& m_loop;  // the control loop
  ProxySpec m_spec;
  int m_listen_fd = -1;
  std::uint64_t m_listen_token = 0;
  std::optional<SocketAddress> m_upstream;
  std::vector<Toxic> m_toxics;
  // Shared with tasks on their loops: a shard outlives a deleted proxy until
  // its loop has closed its links.
  std::vector<std::shared_ptr<ProxyShard>> m_shards;
  std::size_t m_next_shard = 0;
  std::mt19937_64 m_random{std::random_device{}()};
  std::uniform_real_distribution<double> m_unit{0.0, 1.0};
};

}  // namespace chaosgate::fault_proxy
