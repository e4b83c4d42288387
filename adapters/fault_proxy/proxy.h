#pragma once
// One named proxy: a listening socket, its upstream, its toxics (in the order
// they were added) and the links accepted on it. Lives on the loop thread.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "fault_proxy/event_loop.h"
#include "fault_proxy/link.h"
#include "fault_proxy/socket_address.h"
#include "fault_proxy/toxic.h"

namespace chaosgate::fault_proxy {

struct ProxySpec {
  std::string name;
  std::string listen;  // "host:port"; empty = 127.0.0.1:0 (a free port)
  std::string upstream;
  bool enabled = true;
};

class Proxy : public LinkOwner {
public:
  Proxy(EventLoop& loop, ProxySpec spec);
  ~Proxy() override;
  Proxy(const Proxy&) = delete;
  Proxy& operator=(const Proxy&) = delete;

  // Listens (the port actually bound replaces a 0 in `listen`). Throws ApiError:
  // 400 for an address that does not parse, 500 when it cannot be bound.
  void start();
  // Closes the listener and every link.
  void stop();
  // listen / upstream / enabled from a POST body; restarts when they change.
  void update(const nlohmann::json& body);

  const ProxySpec& spec() const { return m_spec; }
  bool running() const { return m_listen_fd >= 0; }
  std::size_t link_count() const { return m_links.size(); }
  nlohmann::json to_json() const;  // Toxiproxy's shape: name, listen, upstream, enabled, toxics

  // Throw ApiError 409 (exists) / 404 (not found).
  const Toxic& add_toxic(Toxic toxic);
  const Toxic& update_toxic(const std::string& name, const nlohmann::json& body);
  void remove_toxic(const std::string& name);
  const Toxic* find_toxic(const std::string& name) const;
  void remove_all_toxics();

  // LinkOwner
  const std::vector<Toxic>& toxics() const override { return m_toxics; }
  double random_unit() override { return m_unit(m_random); }
  void link_closed(std::uint64_t id) override { m_links.erase(id); }

private:
  void accept_all();

  EventLoop& m_loop;
  ProxySpec m_spec;
  int m_listen_fd = -1;
  std::uint64_t m_listen_token = 0;
  std::optional<SocketAddress> m_upstream;
  std::vector<Toxic> m_toxics;
  std::unordered_map<std::uint64_t, std::shared_ptr<Link>> m_links;
  std::uint64_t m_next_link = 1;
  std::mt19937_64 m_random{std::random_device{}()};
  std::uniform_real_distribution<double> m_unit{0.0, 1.0};
};

}  // namespace chaosgate::fault_proxy
