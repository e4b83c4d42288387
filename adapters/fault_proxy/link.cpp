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
// splice() through the loop's pipe in rounds of this size (one call takes all
// a socket holds: ~2 splices per MB instead of ~25 at 64 KiB), at most this
// many rounds per readiness (then the other links on the loop get their turn).
constexpr std::size_t k_splice_round = 1024 * 1024;
constexpr int k_splice_rounds = 16;
// Room of a direction's own pipe (made when its destination stalls): as much
// waits in the kernel as the queue may hold.
constexpr std::size_t k_own_pipe_size = 1024 * 1024;
// Past this many bytes held for a direction (latency, bandwidth), the source is
// not read any more: TCP flow control then slows the sender, as on a slow link.
constexpr std::size_t k_high_water = 1024 * 1024;

// One pipe per loop thread, lent to every direction that has no pipe of its
// own yet; it is empty again when a link is done with it, so links share it.
SplicePipe& loop_pipe() {
  thread_local SplicePipe pipe;
  if (!pipe.is_open()) pipe.open(k_splice_round);
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

// The no-toxic path: splice in, splice out, never copied to user space. False
// when splice cannot be used here (the caller reads instead).
bool Link::splice_through(Side side) {
  const Dir d = reading_from(side);
  auto& dir = m_dir[d];
  if (!dir.queue.empty() || dir.shut || needs_toxics(d)) return false;
  if (!dir.pipe.is_open()) return splice_via_loop_pipe(side);
  splice_via_own_pipe(side);
  return true;
}

// Rounds through the loop's pipe while the destination takes each one whole.
// When it stalls, the round's rest moves (pipe to pipe, no copy) into a pipe
// of the direction's own, which from then on carries its bytes; only when no
// pipe can be made is the rest copied into the queue.
bool Link::splice_via_loop_pipe(Side side) {
  const Dir d = reading_from(side);
  auto& dir = m_dir[d];
  auto& pipe = loop_pipe();
  if (!pipe.is_open()) return false;
  const int to = m_fd[writing_to(d)];
  for (int round = 0; round < k_splice_rounds; ++round) {
    const std::size_t room = pipe.room();  // less than asked for past the user's pipe quota
    const ssize_t in = pipe.fill_from(m_fd[side], room);
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
    while (pipe.held() > 0) {
      const ssize_t out = pipe.drain_to(to, pipe.held());
      if (out > 0) continue;
      if (out < 0 && errno != EAGAIN && errno != EINTR) {
        pipe.discard();  // the loop's pipe must be left empty; it is made again
        reset();
        return true;
      }
      break;
    }
    if (pipe.held() == 0) {
      if (static_cast<std::size_t>(in) < room) return true;  // the source is drained
      continue;
    }
    dir.write_blocked = true;
    if (dir.pipe.open(k_own_pipe_size))
      while (pipe.held() > 0 && dir.pipe.take_from(pipe) > 0) {
      }
    if (pipe.held() > 0) {
      std::string rest(pipe.held(), '\0');
      rest.resize(pipe.read_into(rest.data(), rest.size()));
      dir.queued += rest.size();
      dir.queue.push_back({std::move(rest), 0, Clock::now()});
      return true;
    }
    splice_via_own_pipe(side);  // fill it while the destination is busy
    return true;
  }
  return true;
}

// Rounds of: pass on what the pipe holds, fill it from the source. Bytes the
// destination does not take wait in the pipe; once it has no room (or, with
// bytes waiting, the source says EAGAIN, which may mean either), the source
// is not read until the destination takes some (flush).
void Link::splice_via_own_pipe(Side side) {
  const Dir d = reading_from(side);
  auto& dir = m_dir[d];
  for (int round = 0; round < k_splice_rounds; ++round) {
    if (!dir.write_blocked && !drain_pipe(d) && m_closed) return;
    const std::size_t room = dir.pipe.room();
    if (room == 0) {
      dir.pipe_full = true;
      return;
    }
    const ssize_t in = dir.pipe.fill_from(m_fd[side], room);
    if (in < 0) {
      if (errno == EAGAIN) dir.pipe_full = dir.pipe.held() > 0;
      else if (errno != EINTR) reset();
      return;
    }
    if (in == 0) {
      dir.eof = true;
      if (dir.pipe.held() == 0) finish(d);
      return;
    }
    dir.received += static_cast<std::size_t>(in);
  }
  if (!dir.write_blocked) drain_pipe(d);
}

// Passes on what waits in the direction's pipe: true when it is empty. A
// short splice means the send buffer is full: wait for EPOLLOUT.
bool Link::drain_pipe(Dir d) {
  auto& dir = m_dir[d];
  const std::size_t held = dir.pipe.held();
  if (held == 0) return true;
  const ssize_t out = dir.pipe.drain_to(m_fd[writing_to(d)], held);
  if (out > 0) dir.pipe_full = false;
  if (out == static_cast<ssize_t>(held)) return true;
  if (out >= 0 || errno == EAGAIN || errno == EINTR) {
    dir.write_blocked = true;
    return false;
  }
  reset();
  return false;
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
    if (waiting(d) == 0) finish(d);
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
  if (!any_http && !any_toxic && waiting(d) == 0) {
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

// Passes on what waits for the destination of `d`: the pipe's bytes first
// (they came before anything in the queue), then the queue's.
void Link::flush(Dir d) {
  auto& dir = m_dir[d];
  const Side to = writing_to(d);
  if (dir.shut) {
    dir.queue.clear();
    dir.queued = 0;
    dir.pipe.discard();
    dir.pipe_full = false;
    return;
  }
  if (!m_connected || m_fd[to] < 0) return;
  dir.write_blocked = false;
  const bool was_full = dir.pipe_full;
  const bool pipe_empty = drain_pipe(d);
  if (m_closed) return;
  const auto now = Clock::now();
  while (pipe_empty && !dir.queue.empty()) {
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
  // The source was left unread while the pipe had no room: refill it now,
  // rather than re-arm EPOLLIN and wait for another turn of the loop.
  if (was_full && !dir.pipe_full && !dir.hung_up) read_from(reading_side(d));
  if (m_closed) return;
  read_hung(d);
  if (m_closed) return;
  if (waiting(d) == 0 && dir.eof) finish(d);
  if (m_closed) return;
  if (m_close_when_drained && waiting(up) == 0 && waiting(down) == 0) close();
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
  m_dir[towards].pipe.discard();
  m_dir[towards].pipe_full = false;
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
  while (!m_closed && dir.hung_up && !dir.eof && !dir.write_blocked && !dir.pipe_full && waiting(d) < k_high_water) {
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
      const Dir d = reading_from(side);
      if (m_connected && !from.eof && !from.pipe_full && waiting(d) < k_high_water) want |= EPOLLIN;
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
    dir.pipe.discard();
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
