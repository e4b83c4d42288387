#include "fault_proxy/proxy.h"

#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "fault_proxy/api_error.h"

namespace chaosgate::fault_proxy {

Proxy::Proxy(const std::vector<EventLoop*>& loops, ProxySpec spec)
    : m_loops(loops), m_loop(*loops.front()), m_spec(std::move(spec)) {
  if (m_spec.listen.empty()) m_spec.listen = "127.0.0.1:0";
}

Proxy::~Proxy() { stop(); }

void Proxy::start() {
  if (running()) return;
  const auto address = resolve_address(m_spec.listen);
  if (!address) throw ApiError(400, "listen address " + m_spec.listen + " is not host:port");
  SocketAddress bound;
  const int fd = listen_on(*address, bound);
  if (fd < 0) throw ApiError(500, "listen tcp " + m_spec.listen + ": " + std::strerror(errno));
  m_listen_fd = fd;
  m_spec.listen = address_text(bound);  // as Toxiproxy: the address actually bound
  m_upstream = resolve_address(m_spec.upstream);
  make_shards();
  m_listen_token = m_loop.add_fd(fd, EPOLLIN, [this](std::uint32_t) { accept_all(); });
  m_spec.enabled = true;
}

void Proxy::make_shards() {
  m_shards.clear();
  for (EventLoop* loop : m_loops) m_shards.push_back(std::make_shared<ProxyShard>(*loop, m_toxics));
  m_next_shard = 0;
}

// Each shard applies `change` on its own loop. The facade waits for every loop
// to run what was posted before it answers, so a change is in force on all
// links when the API call returns.
template <typename Change>
void Proxy::post_to_shards(Change change) {
  for (const auto& shard : m_shards) shard->loop().post([shard, change] { change(*shard); });
}

void Proxy::stop() {
  if (m_listen_fd >= 0) {
    m_loop.remove_fd(m_listen_fd, m_listen_token);
    ::close(m_listen_fd);
    m_listen_fd = -1;
  }
  post_to_shards([](ProxyShard& shard) { shard.close_all(); });
  m_shards.clear();
  m_spec.enabled = false;
}

void Proxy::update(const nlohmann::json& body) {
  ProxySpec next = m_spec;
  if (body.contains("listen")) next.listen = body.at("listen").get<std::string>();
  if (body.contains("upstream")) next.upstream = body.at("upstream").get<std::string>();
  if (body.contains("enabled")) next.enabled = body.at("enabled").get<bool>();
  const bool moved = next.listen != m_spec.listen || next.upstream != m_spec.upstream;
  if (moved || !next.enabled) stop();
  m_spec.listen = next.listen;
  m_spec.upstream = next.upstream;
  if (next.enabled) start();
}

void Proxy::accept_all() {
  for (int i = 0; i < 64; ++i) {
    const int fd = ::accept4(m_listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;  // EAGAIN, or EMFILE: the next readiness retries
    bool dropped = false;
    for (const auto& toxic : m_toxics)
      if (toxic.kind == ToxicKind::drop_connect && random_unit() < toxic.toxicity) dropped = true;
    if (!m_upstream) m_upstream = resolve_address(m_spec.upstream);
    if (dropped || !m_upstream) {
      ::close(fd);  // drop_connect: accepted and closed at once, nothing reaches upstream
      continue;
    }
    configure_proxied_socket(fd);
    // Round-robin: a link stays on the loop it was handed to for its whole life.
    const auto& shard = m_shards[m_next_shard++ % m_shards.size()];
    if (&shard->loop() == &m_loop) {
      shard->adopt(fd, *m_upstream);
    } else {
      shard->loop().post([shard, fd, upstream = *m_upstream] { shard->adopt(fd, upstream); });
    }
  }
}

std::size_t Proxy::link_count() const {
  std::size_t count = 0;
  for (const auto& shard : m_shards) count += shard->link_count();
  return count;
}

std::vector<std::size_t> Proxy::link_count_per_loop() const {
  std::vector<std::size_t> counts(m_loops.size(), 0);
  for (std::size_t i = 0; i < m_shards.size(); ++i) counts[i] = m_shards[i]->link_count();
  return counts;
}

nlohmann::json Proxy::to_json() const {
  nlohmann::json toxics = nlohmann::json::array();
  for (const auto& toxic : m_toxics) toxics.push_back(fault_proxy::to_json(toxic));
  return {{"name", m_spec.name},
          {"listen", m_spec.listen},
          {"upstream", m_spec.upstream},
          {"enabled", running()},
          {"toxics", toxics}};
}

const Toxic* Proxy::find_toxic(const std::string& name) const {
  for (const auto& toxic : m_toxics)
    if (toxic.name == name) return &toxic;
  return nullptr;
}

const Toxic& Proxy::add_toxic(Toxic toxic) {
  if (find_toxic(toxic.name) != nullptr) throw toxic_already_exists();
  m_toxics.push_back(std::move(toxic));
  post_to_shards([toxic = m_toxics.back()](ProxyShard& shard) { shard.toxic_added(toxic); });
  return m_toxics.back();
}

const Toxic& Proxy::update_toxic(const std::string& name, const nlohmann::json& body) {
  for (auto& toxic : m_toxics) {
    if (toxic.name != name) continue;
    toxic = toxic_updated(toxic, body);
    post_to_shards([updated = toxic](ProxyShard& shard) { shard.toxic_updated(updated); });
    return toxic;
  }
  throw toxic_not_found();
}

void Proxy::remove_toxic(const std::string& name) {
  const auto it = std::find_if(m_toxics.begin(), m_toxics.end(), [&](const Toxic& t) { return t.name == name; });
  if (it == m_toxics.end()) throw toxic_not_found();
  std::string removed = name;  // `name` may be the erased toxic's own (remove_all_toxics)
  m_toxics.erase(it);
  post_to_shards([removed = std::move(removed)](ProxyShard& shard) { shard.toxic_removed(removed); });
}

void Proxy::remove_all_toxics() {
  while (!m_toxics.empty()) remove_toxic(m_toxics.back().name);
}

}  // namespace chaosgate::fault_proxy
