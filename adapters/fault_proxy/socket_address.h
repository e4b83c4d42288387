#pragma once
// "host:port" text <-> IPv4/IPv6 socket addresses, and the few socket calls the
// proxy makes (non-blocking listen / connect, reset on close).
#include <sys/socket.h>

#include <optional>
#include <string>

namespace chaosgate::fault_proxy {

struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;

  const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
  int family() const { return storage.ss_family; }
};

// Resolves "host:port" ("[::1]:80", "localhost:6379", ":8080" = 127.0.0.1).
// nullopt when the text has no port or the host does not resolve.
std::optional<SocketAddress> resolve_address(const std::string& text);

// "127.0.0.1:PORT" / "[::1]:PORT" for a bound address.
std::string address_text(const SocketAddress& address);

// A non-blocking listening socket (SO_REUSEADDR, backlog 1024); the address it
// actually got (port 0 -> a free port) is written to `bound`. -1 and errno on failure.
int listen_on(const SocketAddress& address, SocketAddress& bound);

// Starts a non-blocking connect: the fd (connection in progress or done), or -1.
int start_connect(const SocketAddress& address);
// Options of both sockets of a proxied link: TCP_NODELAY (Nagle would hold
// back small answers the client would not have waited for without the proxy),
// and a capped receive buffer (no autotuning to tens of MB), so a sender the
// proxy cannot keep up with is slowed by TCP flow control instead of filling
// the proxy's socket.
void configure_proxied_socket(int fd);

// Closes with SO_LINGER 0: the peer sees a TCP RST (connection reset by peer).
void close_with_reset(int fd);

}  // namespace chaosgate::fault_proxy
