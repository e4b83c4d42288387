#include "fault_proxy/link.h"

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace chaosgate::fault_proxy {
namespace {

constexpr std::size_t k_read_size = 256 * 1024;
constexpr std::size_t k_splice_round = 64 * 1024;
// Past this many bytes held for a direction (latency, bandwidth), the source is
// not read any more: TCP flow control then slows the sender, as on a slow link.
constexpr std::size_t k_high_water = 1024 * 1024;

// One pipe per loop thread for splice(): bytes with no toxic to pass through
// move socket -> pipe -> socket inside the kernel, never copied to user space.
// The pipe is empty again when splice_through returns, so links can share it.
struct SplicePipe {
  int read_end = -1;
  int write_end = -1;
  SplicePipe() {
    int ends[2];
    if (::pipe2(ends, O_NONBLOCK | O_CLOEXEC) != 0) return;
    read_end = ends[0];
    write_end = ends[1];
  }
  ~SplicePipe() {
    if (read_end >= 0) ::close(read_end);
    if (write_end >= 0) ::close(write_end);
  }
  SplicePipe(const SplicePipe&) = delete;
  SplicePipe& operator=(const SplicePipe&) = delete;
};

SplicePipe& splice_pipe() {
  thread_local SplicePipe pipe;
  return pipe;
}

char* read_buffer() {
  thread_local std::vector<char> buffer(k_read_size);
  return buffer.data();
}

const char* reason_phrase(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 408: return "Request Timeout";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Injected";
  }
}

std::chrono::microseconds millis(std::int64_t ms) { return std::chrono::milliseconds(ms); }

}  // namespace

Link::Link(EventLoop& loop, LinkOwner& owner, std::uint64_t id, int client_fd)
    : m_loop(loop), m_owner(owner), m_id(id) {
  m_fd[client] = client_fd;
}

Link::~Link() {
  for (const int fd : m_fd)
    if (fd >= 0) ::close(fd);
}

void Link::start(const SocketAddress& upstream) {
  const std::weak_ptr<Link> weak = shared_from_this();
  m_token[client] = m_loop.add_fd(m_fd[client], 0, [weak](std::uint32_t events) {
    if (const auto self = weak.lock()) self->on_event(client, events);
  });
  for (const auto& toxic : m_owner.toxics()) toxic_added(toxic);
  if (m_closed) return;
  m_fd[server] = start_connect(upstream);
  if (m_fd[server] < 0) {
    close();
    return;
  }
  m_interest[server] = EPOLLOUT;
  m_token[server] = m_loop.add_fd(m_fd[server], EPOLLOUT, [weak](std::uint32_t events) {
    if (const auto self = weak.lock()) self->on_event(server, events);
  });
}

bool Link::active(const Toxic& toxic) const {
  const auto it = m_toxics.find(toxic.name);
  return it != m_toxics.end() && it->second.active;
}

void Link::toxic_added(const Toxic& toxic) {
  if (m_closed) return;
  ToxicState state;
  // HTTP toxics roll per request; the others once per connection, as Toxiproxy.
  state.active = toxic.per_request() || m_owner.random_unit() < toxic.toxicity;
  const std::weak_ptr<Link> weak = weak_from_this();
  if (state.active && toxic.kind == ToxicKind::timeout && toxic.number("timeout") > 0) {
    state.timer = m_loop.add_timer(Clock::now() + millis(toxic.number("timeout")), [weak] {
      if (const auto self = weak.lock()) self->close();
    });
  }
  if (state.active && toxic.kind == ToxicKind::reset_peer) {
    state.timer = m_loop.add_timer(Clock::now() + millis(toxic.number("timeout")), [weak] {
      if (const auto self = weak.lock()) self->reset();
    });
  }
  if (const auto old = m_toxics.find(toxic.name); old != m_toxics.end()) m_loop.cancel_timer(old->second.timer);
  m_toxics[toxic.name] = state;
}

void Link::toxic_removed(const std::string& name) {
  const auto it = m_toxics.find(name);
  if (it == m_toxics.end() || m_closed) return;
  m_loop.cancel_timer(it->second.timer);
  m_toxics.erase(it);
  // What the toxic was holding back goes on now.
  const auto now = Clock::now();
  for (auto& dir : m_dir)
    for (auto& segment : dir.queue) segment.release = std::min(segment.release, now);
  release_held();
  flush(up);
  if (!m_closed) flush(down);
  update_interest();
}

// A request head held back by an HTTP toxic that is gone is passed on as is.
void Link::release_held() {
  for (const auto& toxic : m_owner.toxics())
    if (toxic.per_request() && active(toxic)) return;
  auto& dir = m_dir[up];
  std::string held = dir.http.take_held();
  dir.request_action = RequestAction::forward;
  if (held.empty()) return;
  dir.queued += held.size();
  dir.queue.push_back({std::move(held), 0, Clock::now()});
}

void Link::on_event(Side side, std::uint32_t events) {
  if (m_closed) return;
  if (side == server && !m_connected) {
    int error = 0;
    socklen_t length = sizeof error;
    ::getsockopt(m_fd[server], SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0 || (events & (EPOLLERR | EPOLLHUP)) != 0) {
      close();  // upstream refused: the client sees its connection closed
      return;
    }
    m_connected = true;
    flush(up);
    if (!m_closed) flush(down);
    update_interest();
    return;
  }
  if ((events & EPOLLERR) != 0) {
    reset();  // a reset on one side is passed on to the other
    return;
  }
  if ((events & (EPOLLIN | EPOLLHUP)) != 0) read_from(side);
  if (m_closed) return;
  if ((events & EPOLLOUT) != 0) flush(side == client ? down : up);
  if (m_closed) return;
  if ((events & EPOLLHUP) != 0) hang_up(side);
  update_interest();
}

bool Link::needs_toxics(Dir d) const {
  const Stream stream = d == up ? Stream::upstream : Stream::downstream;
  for (const auto& toxic : m_owner.toxics()) {
    if (!active(toxic)) continue;
    if (toxic.per_request() ? d == up : toxic.stream == stream && toxic.kind != ToxicKind::slow_close) return true;
  }
  return false;
}

// The no-toxic path: splice in, splice out; what the destination would not
// take is read back from the pipe into the queue (the pipe ends empty).
// False when splice cannot be used here (the caller reads instead).
bool Link::splice_through(Side side) {
  const Dir d = reading_from(side);
  auto& dir = m_dir[d];
  auto& pipe = splice_pipe();
  if (pipe.read_end < 0 || !dir.queue.empty() || dir.shut || needs_toxics(d)) return false;
  // Up to 16 rounds of 64 KiB: a round the destination takes whole costs no
  // copy; when it stalls, at most one round's rest is copied into the queue.
  for (int round = 0; round < 16; ++round) {
    const ssize_t in = ::splice(m_fd[side], nullptr, pipe.write_end, nullptr, k_splice_round, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
    if (in < 0) {
      if (errno == EAGAIN || errno == EINTR) return true;
      if (round == 0 && (errno == EINVAL || errno == ENOSYS)) return false;
      reset();
      return true;
    }
    if (in == 0) {
      dir.eof = true;
      finish(d);
      return true;
    }
    dir.received += static_cast<std::size_t>(in);
    std::size_t left = static_cast<std::size_t>(in);
    bool failed = false;
    while (left > 0) {
      const ssize_t out = ::splice(pipe.read_end, nullptr, m_fd[writing_to(d)], nullptr, left, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
      if (out <= 0) {
        failed = out < 0 && errno != EAGAIN && errno != EINTR;
        break;
      }
      left -= static_cast<std::size_t>(out);
    }
    if (left == 0) {
      if (static_cast<std::size_t>(in) < k_splice_round) return true;  // the source is drained
      continue;
    }
    std::string rest(left, '\0');
    std::size_t got = 0;
    while (got < left) {
      const ssize_t n = ::read(pipe.read_end, rest.data() + got, left - got);
      if (n <= 0) break;
      got += static_cast<std::size_t>(n);
    }
    if (failed) {
      reset();
      return true;
    }
    dir.queued += left;
    dir.queue.push_back({std::move(rest), 0, Clock::now()});
    dir.write_blocked = true;
    return true;
  }
  return true;
}

void Link::read_from(Side side) {
  const Dir d = reading_from(side);
  auto& dir = m_dir[d];
  if (dir.eof || !m_connected) return;
  if (splice_through(side)) return;
  const ssize_t n = ::read(m_fd[side], read_buffer(), k_read_size);
  if (n > 0) {
    dir.received += static_cast<std::size_t>(n);
    pass(d, std::string_view(read_buffer(), static_cast<std::size_t>(n)));
  } else if (n == 0) {
    dir.eof = true;
    if (dir.queue.empty()) finish(d);
  } else if (errno != EAGAIN && errno != EINTR) {
    reset();
  }
}

// Bytes read from one side: through this stream's toxics into the queue, or
// straight to the other side when no toxic is active and nothing is queued.
void Link::pass(Dir d, std::string_view bytes) {
  auto& dir = m_dir[d];
  if (dir.shut) return;  // the destination is gone
  const Stream stream = d == up ? Stream::upstream : Stream::downstream;
  const auto& toxics = m_owner.toxics();
  bool any_http = false;
  bool any_toxic = false;
  for (const auto& toxic : toxics) {
    if (!active(toxic)) continue;
    if (toxic.per_request()) any_http = any_http || d == up;
    else if (toxic.stream == stream && toxic.kind != ToxicKind::slow_close) any_toxic = true;
  }
  const auto now = Clock::now();
  if (!any_http && !any_toxic && dir.queue.empty()) {
    const ssize_t n = ::send(m_fd[writing_to(d)], bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN) {
      reset();
      return;
    }
    const std::size_t sent = n < 0 ? 0 : static_cast<std::size_t>(n);
    if (sent == bytes.size()) return;
    dir.queued += bytes.size() - sent;
    dir.queue.push_back({std::string(bytes.substr(sent)), 0, now});
    dir.write_blocked = true;
    return;
  }

  std::vector<Segment> segments;
  if (any_http) segments = http_stage(d, std::string(bytes), now);
  else segments.push_back({std::string(bytes), 0, now});

  for (const auto& toxic : toxics) {
    if (toxic.stream != stream || toxic.per_request() || !active(toxic)) continue;
    auto& state = m_toxics[toxic.name];
    switch (toxic.kind) {
      case ToxicKind::latency: {
        const auto jitter = toxic.number("jitter");
        std::int64_t delay_us = toxic.number("latency") * 1000;
        if (jitter > 0) delay_us += static_cast<std::int64_t>((m_owner.random_unit() * 2 - 1) * static_cast<double>(jitter) * 1000);
        for (auto& segment : segments) {
          segment.release = std::max(segment.release + std::chrono::microseconds(std::max<std::int64_t>(delay_us, 0)), state.last_release);
          state.last_release = segment.release;
        }
        break;
      }
      case ToxicKind::bandwidth: {
        const double bytes_per_second = static_cast<double>(toxic.number("rate")) * 1000.0;
        if (bytes_per_second <= 0) break;
        // Pieces of at most 100 ms worth, so a slow link trickles instead of bursting.
        const std::size_t piece = std::max<std::size_t>(static_cast<std::size_t>(bytes_per_second / 10), 1);
        std::vector<Segment> paced;
        for (auto& segment : segments) {
          for (std::size_t at = segment.offset; at < segment.bytes.size(); at += piece) {
            const std::size_t size = std::min(piece, segment.bytes.size() - at);
            const auto start = std::max(segment.release, state.last_release);
            const auto release = start + std::chrono::microseconds(static_cast<std::int64_t>(static_cast<double>(size) / bytes_per_second * 1e6));
            paced.push_back({segment.bytes.substr(at, size), 0, release});
            state.last_release = release;
          }
        }
        segments = std::move(paced);
        break;
      }
      case ToxicKind::slicer: {
        const auto average = toxic.number("average_size");
        if (average <= 0) break;
        const auto variation = std::min(toxic.number("size_variation"), average - 1);
        const std::chrono::microseconds delay(toxic.number("delay"));
        std::vector<Segment> sliced;
        for (auto& segment : segments) {
          auto release = std::max(segment.release, state.last_release);
          for (std::size_t at = segment.offset; at < segment.bytes.size();) {
            const auto spread = static_cast<std::int64_t>((m_owner.random_unit() * 2 - 1) * static_cast<double>(variation));
            const std::size_t size = std::min<std::size_t>(static_cast<std::size_t>(std::max<std::int64_t>(average + spread, 1)), segment.bytes.size() - at);
            sliced.push_back({segment.bytes.substr(at, size), 0, release});
            state.last_release = release;
            release += delay;
            at += size;
          }
        }
        segments = std::move(sliced);
        break;
      }
      case ToxicKind::limit_data: {
        const auto limit = toxic.number("bytes");
        std::vector<Segment> kept;
        for (auto& segment : segments) {
          const std::int64_t left = limit - state.bytes;
          if (left <= 0) break;
          const std::size_t size = segment.bytes.size() - segment.offset;
          if (static_cast<std::int64_t>(size) > left) segment.bytes.resize(segment.offset + static_cast<std::size_t>(left));
          state.bytes += static_cast<std::int64_t>(segment.bytes.size() - segment.offset);
          kept.push_back(std::move(segment));
        }
        segments = std::move(kept);
        if (state.bytes >= limit) m_close_when_drained = true;
        break;
      }
      case ToxicKind::timeout:
        segments.clear();  // nothing gets through while the toxic is there
        break;
      default:
        break;
    }
  }
  for (auto& segment : segments) {
    dir.queued += segment.bytes.size() - segment.offset;
    dir.queue.push_back(std::move(segment));
  }
  flush(d);
}

// Requests matched by an HTTP toxic are answered here (http_status) or held
// (http_delay); the others pass on unchanged.
std::vector<Link::Segment> Link::http_stage(Dir d, std::string bytes, Clock::time_point now) {
  auto& dir = m_dir[d];
  std::vector<Segment> segments;
  for (auto& piece : dir.http.feed(bytes)) {
    if (piece.starts_request) {
      dir.request_action = RequestAction::forward;
      for (const auto& toxic : m_owner.toxics()) {
        if (!toxic.per_request() || !active(toxic) || !toxic.matches_path(piece.path)) continue;
        if (m_owner.random_unit() >= toxic.toxicity) continue;
        if (toxic.kind == ToxicKind::http_status) {
          dir.request_action = RequestAction::discard;
          respond(static_cast<int>(toxic.number("status")), toxic.text("body"));
        } else {
          dir.request_action = RequestAction::delay;
          dir.request_release = now + millis(toxic.number("delay"));
        }
        break;
      }
    }
    switch (dir.request_action) {
      case RequestAction::forward: segments.push_back({std::move(piece.bytes), 0, now}); break;
      case RequestAction::delay: segments.push_back({std::move(piece.bytes), 0, std::max(now, dir.request_release)}); break;
      case RequestAction::discard: break;
    }
  }
  return segments;
}

void Link::respond(int status, const std::string& body) {
  const std::string text = body.empty() ? std::to_string(status) + " " + reason_phrase(status) + "\n" : body;
  std::string response = "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) +
                         "\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(text.size()) +
                         "\r\nConnection: close\r\nX-Chaosgate-Toxic: http_status\r\n\r\n" + text;
  auto& dir = m_dir[down];
  dir.queued += response.size();
  dir.queue.push_back({std::move(response), 0, Clock::now()});
  m_close_when_drained = true;  // Connection: close, as promised
  flush(down);
}

void Link::flush(Dir d) {
  auto& dir = m_dir[d];
  const Side to = writing_to(d);
  if (dir.shut) {
    dir.queue.clear();
    dir.queued = 0;
    return;
  }
  if (!m_connected || m_fd[to] < 0) return;
  dir.write_blocked = false;
  const auto now = Clock::now();
  while (!dir.queue.empty()) {
    auto& segment = dir.queue.front();
    if (segment.release > now) {
      m_loop.cancel_timer(dir.timer);
      const std::weak_ptr<Link> weak = shared_from_this();
      dir.timer = m_loop.add_timer(segment.release, [weak, d] {
        if (const auto self = weak.lock()) {
          self->m_dir[d].timer = 0;
          self->flush(d);
          self->update_interest();
        }
      });
      break;
    }
    const std::size_t size = segment.bytes.size() - segment.offset;
    const ssize_t n = ::send(m_fd[to], segment.bytes.data() + segment.offset, size, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) {
        dir.write_blocked = true;
        break;
      }
      reset();
      return;
    }
    segment.offset += static_cast<std::size_t>(n);
    dir.queued -= static_cast<std::size_t>(n);
    if (static_cast<std::size_t>(n) < size) {
      dir.write_blocked = true;
      break;
    }
    dir.queue.pop_front();
  }
  read_hung(d);
  if (m_closed) return;
  if (dir.queue.empty() && dir.eof) finish(d);
  if (m_closed) return;
  if (m_close_when_drained && m_dir[up].queue.empty() && m_dir[down].queue.empty()) close();
}

// The source of `d` ended and everything it sent was delivered: pass the FIN
// on, after slow_close's delay when there is one.
void Link::finish(Dir d) {
  auto& dir = m_dir[d];
  if (dir.shut || dir.close_timer != 0) return;
  const Stream stream = d == up ? Stream::upstream : Stream::downstream;
  std::int64_t delay = 0;
  for (const auto& toxic : m_owner.toxics())
    if (toxic.kind == ToxicKind::slow_close && toxic.stream == stream && active(toxic))
      delay = std::max(delay, toxic.number("delay"));
  if (delay > 0) {
    const std::weak_ptr<Link> weak = shared_from_this();
    dir.close_timer = m_loop.add_timer(Clock::now() + millis(delay), [weak, d] {
      if (const auto self = weak.lock()) {
        self->m_dir[d].close_timer = 0;
        self->shut(d);
        self->update_interest();
      }
    });
    return;
  }
  shut(d);
}

void Link::shut(Dir d) {
  if (m_closed) return;
  m_dir[d].shut = true;
  if (m_fd[writing_to(d)] >= 0) ::shutdown(m_fd[writing_to(d)], SHUT_WR);
  if (m_dir[up].shut && m_dir[down].shut) close();
}

// The peer on `side` is gone both ways (EPOLLHUP): nothing more can be sent to
// it. What it sent before its FIN may still wait in its socket (our queue was
// at its high water); EPOLLHUP cannot be masked, so the socket leaves epoll and
// the rest is read as room frees (read_hung, from flush) until read sees EOF.
void Link::hang_up(Side side) {
  const Dir towards = side == client ? down : up;
  m_dir[towards].queue.clear();
  m_dir[towards].queued = 0;
  m_dir[towards].shut = true;
  m_loop.remove_fd(m_fd[side], m_token[side]);
  m_token[side] = 0;
  const Dir from = reading_from(side);
  if (!m_dir[from].eof) {
    m_dir[from].hung_up = true;
    read_hung(from);
  }
  if (!m_closed && m_dir[up].shut && m_dir[down].shut) close();
}

void Link::read_hung(Dir d) {
  auto& dir = m_dir[d];
  if (dir.reading_hung) return;  // flush -> read_hung -> read_from -> pass -> flush
  dir.reading_hung = true;
  while (!m_closed && dir.hung_up && !dir.eof && !dir.write_blocked && dir.queued < k_high_water) {
    const std::uint64_t before = dir.received;
    read_from(reading_side(d));
    if (dir.received == before) break;  // EOF, an error, or nothing (after a FIN: not expected)
  }
  if (!m_closed) dir.reading_hung = false;
}

void Link::update_interest() {
  if (m_closed) return;
  for (const Side side : {client, server}) {
    if (m_token[side] == 0) continue;
    std::uint32_t want = 0;
    if (side == server && !m_connected) {
      want = EPOLLOUT;
    } else {
      const auto& from = m_dir[reading_from(side)];
      if (m_connected && !from.eof && from.queued < k_high_water) want |= EPOLLIN;
      if (m_dir[side == client ? down : up].write_blocked) want |= EPOLLOUT;
    }
    if (want != m_interest[side]) {
      m_loop.modify_fd(m_fd[side], m_token[side], want);
      m_interest[side] = want;
    }
  }
}

void Link::close() { close_sockets(false); }
void Link::reset() { close_sockets(true); }

void Link::close_sockets(bool with_reset) {
  if (m_closed) return;
  m_closed = true;
  for (auto& dir : m_dir) {
    m_loop.cancel_timer(dir.timer);
    m_loop.cancel_timer(dir.close_timer);
  }
  for (auto& [name, state] : m_toxics) m_loop.cancel_timer(state.timer);
  for (const Side side : {client, server}) {
    if (m_token[side] != 0) m_loop.remove_fd(m_fd[side], m_token[side]);
    m_token[side] = 0;
    if (m_fd[side] < 0) continue;
    if (with_reset) close_with_reset(m_fd[side]);
    else ::close(m_fd[side]);
    m_fd[side] = -1;
  }
  m_owner.link_closed(m_id);
}

}  // namespace chaosgate::fault_proxy
