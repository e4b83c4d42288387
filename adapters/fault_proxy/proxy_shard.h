#pragma once
// A proxy's part on one event loop: the links accepted for it that live on
// that loop and its own copy of the proxy's toxics (a link reads them on every
// chunk, so they must be local to its thread). The proxy (on the control loop)
// hands accepted sockets and toxic changes over with EventLoop::post; every
// method but the two counters runs on this shard's loop.
#include <atomic>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "fault_proxy/event_loop.h"
#include "fault_proxy/link.h"
#include "fault_proxy/socket_address.h"
#include "fault_proxy/toxic.h"

namespace chaosgate::fault_proxy {

class ProxyShard final : public LinkOwner {
public:
  // `toxics`: the proxy's toxics when the shard is made (on the control loop).
  ProxyShard(EventLoop& loop, std::vector<Toxic> toxics);
  ~ProxyShard() override;
  ProxyShard(const ProxyShard&) = delete;
  ProxyShard& operator=(const ProxyShard&) = delete;

  EventLoop& loop() { return m_loop; }

  // A socket accepted for this proxy: a link to `upstream` starts on this loop.
  void adopt(int client_fd, const SocketAddress& upstream);
  void toxic_added(const Toxic& toxic);
  void toxic_updated(const Toxic& toxic);
  void toxic_removed(const std::string& name);
  // Closes every link; a socket adopted afterwards is closed at once.
  void close_all();

  // Any thread: the open links on this loop.
  std::size_t link_count() const { return m_link_count.load(std::memory_order_relaxed); }

  // LinkOwner
  const std::vector<Toxic>& toxics() const override { return m_toxics; }
  double random_unit() override { return m_unit(m_random); }
  void link_closed(std::uint64_t id) override;

private:
  std::vector<std::shared_ptr<Link>> links() const;

  EventLoop& m_loop;
  std::vector<Toxic> m_toxics;
  std::unordered_map<std::uint64_t, std::shared_ptr<Link>> m_links;
  std::uint64_t m_next_link = 1;
  bool m_closed = false;
  std::atomic<std::size_t> m_link_count{0};
  std::mt19937_64 m_random{std::random_device{}()};
  std::uniform_real_distribution<double> m_unit{0.0, 1.0};
};

}  // namespace chaosgate::fault_proxy
