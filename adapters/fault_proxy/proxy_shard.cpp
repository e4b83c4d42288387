#include "fault_proxy/proxy_shard.h"

#include <unistd.h>

#include <algorithm>

namespace chaosgate::fault_proxy {

ProxyShard::ProxyShard(EventLoop& loop, std::vector<Toxic> toxics) : m_loop(loop), m_toxics(std::move(toxics)) {}

// Runs on whichever thread drops the last reference (the shard's loop, or the
// facade after every loop has stopped): close_all has run by then, or the
// links go with their loop.
ProxyShard::~ProxyShard() = default;

std::vector<std::shared_ptr<Link>> ProxyShard::links() const {
  // Closing a link erases it from m_links: callers walk a copy.
  std::vector<std::shared_ptr<Link>> copy;
  copy.reserve(m_links.size());
  for (const auto& [id, link] : m_links) copy.push_back(link);
  return copy;
}

void ProxyShard::adopt(int client_fd, const SocketAddress& upstream) {
  if (m_closed) {
    ::close(client_fd);  // the proxy stopped while the socket was on its way here
    return;
  }
  const std::uint64_t id = m_next_link++;
  auto link = std::make_shared<Link>(m_loop, *this, id, client_fd);
  m_links.emplace(id, link);
  m_link_count.store(m_links.size(), std::memory_order_relaxed);
  link->start(upstream);
}

void ProxyShard::link_closed(std::uint64_t id) {
  m_links.erase(id);
  m_link_count.store(m_links.size(), std::memory_order_relaxed);
}

void ProxyShard::toxic_added(const Toxic& toxic) {
  m_toxics.push_back(toxic);
  for (const auto& link : links()) link->toxic_added(m_toxics.back());
}

void ProxyShard::toxic_updated(const Toxic& toxic) {
  const auto it = std::find_if(m_toxics.begin(), m_toxics.end(), [&](const Toxic& t) { return t.name == toxic.name; });
  if (it == m_toxics.end()) return;
  *it = toxic;
  for (const auto& link : links()) {
    link->toxic_removed(toxic.name);
    link->toxic_added(*it);
  }
}

void ProxyShard::toxic_removed(const std::string& name) {
  const auto it = std::find_if(m_toxics.begin(), m_toxics.end(), [&](const Toxic& t) { return t.name == name; });
  if (it == m_toxics.end()) return;
  m_toxics.erase(it);
  for (const auto& link : links()) link->toxic_removed(name);
}

void ProxyShard::close_all() {
  m_closed = true;
  for (const auto& link : links()) link->close();
  m_links.clear();
  m_link_count.store(0, std::memory_order_relaxed);
}

}  // namespace chaosgate::fault_proxy
