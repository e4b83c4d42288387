#pragma once
// One proxied connection: the client socket, the upstream socket and the two
// directions between them (upstream = client -> server, downstream = back),
// each passing its bytes through the proxy's toxics for that stream.
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fault_proxy/event_loop.h"
#include "fault_proxy/http_request_scanner.h"
#include "fault_proxy/socket_address.h"
#include "fault_proxy/splice_pipe.h"
#include "fault_proxy/toxic.h"

namespace chaosgate::fault_proxy {

// What a link needs from its proxy.
class LinkOwner {
public:
  virtual ~LinkOwner() = default;
  virtual const std::vector<Toxic>& toxics() const = 0;  // in the order they were added
  virtual double random_unit() = 0;                      // uniform in [0, 1)
  virtual void link_closed(std::uint64_t id) = 0;        // after both sockets are closed
};

class Link : public std::enable_shared_from_this<Link> {
public:
  Link(EventLoop& loop, LinkOwner& owner, std::uint64_t id, int client_fd);
  ~Link();
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;

  // Connects to `upstream` and starts forwarding; the client is closed when
  // the connect fails. Rolls every current toxic's toxicity for this link.
  void start(const SocketAddress& upstream);
  // A toxic added to or removed from the proxy: applies to this link at once.
  void toxic_added(const Toxic& toxic);
  void toxic_removed(const std::string& name);
  // Both sockets closed now: FIN (close) or RST (reset).
  void close();
  void reset();

private:
  using Clock = EventLoop::Clock;
  enum Side { client = 0, server = 1 };
  enum Dir { up = 0, down = 1 };

  struct Segment {
    std::string bytes;
    std::size_t offset = 0;
    Clock::time_point release;
  };
  enum class RequestAction { forward, discard, delay };
  struct Direction {
    std::deque<Segment> queue;
    std::size_t queued = 0;
    // Its own pipe, made the first time its destination stalls: what that did
    // not take waits here, ahead of the queue (no copy to user space).
    SplicePipe pipe;
    bool pipe_full = false;      // the last splice in found no room: wait for the destination
    bool eof = false;            // the source sent FIN
    bool shut = false;           // FIN passed on (or the destination is gone)
    bool write_blocked = false;  // waiting for EPOLLOUT
    std::uint64_t received = 0;  // bytes read from the source
    bool hung_up = false;        // the source hung up (EPOLLHUP): read on from flush until EOF
    bool reading_hung = false;
    std::uint64_t timer = 0;     // wakes the writer for a delayed segment
    std::uint64_t close_timer = 0;  // slow_close
    HttpRequestScanner http;
    RequestAction request_action = RequestAction::forward;
    Clock::time_point request_release{};
  };
  struct ToxicState {
    bool active = false;
    std::uint64_t timer = 0;  // timeout / reset_peer
    std::int64_t bytes = 0;   // limit_data: bytes passed so far
    Clock::time_point last_release{};
  };

  static Dir reading_from(Side side) { return side == client ? up : down; }
  static Side writing_to(Dir dir) { return dir == up ? server : client; }
  static Side reading_side(Dir dir) { return dir == up ? client : server; }

  void on_event(Side side, std::uint32_t events);
  void on_connected();
  void read_from(Side side);
  bool needs_toxics(Dir dir) const;
  bool splice_through(Side side);
  bool splice_via_loop_pipe(Side side);
  void splice_via_own_pipe(Side side);
  bool drain_pipe(Dir dir);
  std::size_t waiting(Dir dir) const { return m_dir[dir].queued + m_dir[dir].pipe.held(); }
  void pass(Dir dir, std::string_view bytes);
  std::vector<Segment> http_stage(Dir dir, std::string bytes, Clock::time_point now);
  void respond(int status, const std::string& body);
  void flush(Dir dir);
  void finish(Dir dir);
  void shut(Dir dir);
  void hang_up(Side side);
  void read_hung(Dir d);
  void update_interest();
  void release_held();
  bool active(const Toxic& toxic) const;
  void close_sockets(bool with_reset);

  EventLoop& m_loop;
  LinkOwner& m_owner;
  std::uint64_t m_id;
  int m_fd[2] = {-1, -1};
  std::uint64_t m_token[2] = {0, 0};
  std::uint32_t m_interest[2] = {0, 0};
  Direction m_dir[2];
  std::unordered_map<std::string, ToxicState> m_toxics;
  bool m_connected = false;
  bool m_closed = false;
  bool m_close_when_drained = false;  // limit_data reached or an HTTP answer injected
};

}  // namespace chaosgate::fault_proxy
