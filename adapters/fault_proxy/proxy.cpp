#include "fault_proxy/proxy.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "fault_proxy/api_error.h"

namespace chaosgate::fault_proxy {

Proxy::Proxy(EventLoop& loop, ProxySpec spec) : m_loop(loop), m_spec(std::move(spec)) {
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
  m_listen_token = m_loop.add_fd(fd, EPOLLIN, [this](std::uint32_t) { accept_all(); });
  m_spec.enabled = true;
}

void Proxy::stop() {
  if (m_listen_fd >= 0) {
    m_loop.remove_fd(m_listen_fd, m_listen_token);
    ::close(m_listen_fd);
    m_listen_fd = -1;
  }
  // Closing a link erases it from m_links: close copies.
  std::vector<std::shared_ptr<Link>> links;
  links.reserve(m_links.size());
  for (const auto& [id, link] : m_links) links.push_back(link);
  for (const auto& link : links) link->close();
  m_links.clear();
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
    // No Nagle on the proxy's own sockets: small answers must not wait for ACKs
    // the client would not have waited for without the proxy.
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const std::uint64_t id = m_next_link++;
    auto link = std::make_shared<Link>(m_loop, *this, id, fd);
    m_links.emplace(id, link);
    link->start(*m_upstream);
  }
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
  std::vector<std::shared_ptr<Link>> links;
  for (const auto& [id, link] : m_links) links.push_back(link);
  for (const auto& link : links) link->toxic_added(m_toxics.back());
  return m_toxics.back();
}

const Toxic& Proxy::update_toxic(const std::string& name, const nlohmann::json& body) {
  for (auto& toxic : m_toxics) {
    if (toxic.name != name) continue;
    toxic = toxic_updated(toxic, body);
    std::vector<std::shared_ptr<Link>> links;
    for (const auto& [id, link] : m_links) links.push_back(link);
    for (const auto& link : links) {
      link->toxic_removed(name);
      link->toxic_added(toxic);
    }
    return toxic;
  }
  throw toxic_not_found();
}

void Proxy::remove_toxic(const std::string& name) {
  const auto it = std::find_if(m_toxics.begin(), m_toxics.end(), [&](const Toxic& t) { return t.name == name; });
  if (it == m_toxics.end()) throw toxic_not_found();
  m_toxics.erase(it);
  std::vector<std::shared_ptr<Link>> links;
  for (const auto& [id, link] : m_links) links.push_back(link);
  for (const auto& link : links) link->toxic_removed(name);
}

void Proxy::remove_all_toxics() {
  while (!m_toxics.empty()) remove_toxic(m_toxics.back().name);
}

}  // namespace chaosgate::fault_proxy
