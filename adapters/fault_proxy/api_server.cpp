#include "fault_proxy/api_server.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <list>
#include <mutex>
#include <stdexcept>
#include <string_view>
#include <thread>

#include "fault_proxy/socket_address.h"

namespace chaosgate::fault_proxy {
namespace {

constexpr std::size_t k_max_head = 16 * 1024;
constexpr std::size_t k_max_body = 1024 * 1024;
constexpr int k_idle_ms = 5000;

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return {};
  return std::string(text.substr(begin, text.find_last_not_of(" \t\r") - begin + 1));
}

const char* reason(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 413: return "Payload Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    default: return "Unknown";
  }
}

// "%2F" -> "/"; a malformed escape stays as it is.
std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

bool send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const auto n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool send_response(int fd, const ApiResponse& response, bool with_body, bool close) {
  std::string bytes = "HTTP/1.1 " + std::to_string(response.status) + " " + reason(response.status) + "\r\n";
  if (!response.content_type.empty()) bytes += "Content-Type: " + response.content_type + "\r\n";
  if (response.status != 204) bytes += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  bytes += close ? "Connection: close\r\n\r\n" : "Connection: keep-alive\r\n\r\n";
  if (with_body && response.status != 204) bytes += response.body;
  return send_all(fd, bytes);
}

// Appends what arrives within the idle time; false at the end of the stream,
// on errors and when the client stays silent.
bool read_more(int fd, std::string& buffer) {
  pollfd pfd{fd, POLLIN, 0};
  int ready = 0;
  do {
    ready = ::poll(&pfd, 1, k_idle_ms);
  } while (ready < 0 && errno == EINTR);
  if (ready <= 0) return false;
  char chunk[8192];
  const auto n = ::recv(fd, chunk, sizeof chunk, 0);
  if (n <= 0) return false;
  buffer.append(chunk, static_cast<std::size_t>(n));
  return true;
}

struct Connection {
  int fd = -1;
  std::atomic<bool> done{false};
  std::thread thread;
};

class SocketApiServer final : public ApiServer {
public:
  SocketApiServer(const std::string& host, int port, ApiHandler handler) : m_handler(std::move(handler)) {
    const auto text = (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
    const auto address = resolve_address(text);
    if (!address) throw std::runtime_error("cannot resolve " + host);
    SocketAddress bound;
    m_listen_fd = listen_on(*address, bound);
    if (m_listen_fd < 0) throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) + ": " + std::strerror(errno));
    m_port = std::stoi(address_text(bound).substr(address_text(bound).rfind(':') + 1));
    m_wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    m_thread = std::thread([this] { accept_loop(); });
  }
  ~SocketApiServer() override { stop(); }

  int port() const override { return m_port; }

  void stop() override {
    if (!m_thread.joinable()) return;
    const std::uint64_t one = 1;
    (void)!::write(m_wake_fd, &one, sizeof one);
    m_thread.join();
    const std::lock_guard lock(m_mutex);
    for (auto& connection : m_connections) ::shutdown(connection->fd, SHUT_RDWR);  // wakes its recv/poll
    for (auto& connection : m_connections) finish(*connection);
    m_connections.clear();
    ::close(m_listen_fd);
    ::close(m_wake_fd);
  }

private:
  static void finish(Connection& connection) {
    connection.thread.join();
    ::close(connection.fd);
  }

  void accept_loop() {
    for (;;) {
      pollfd fds[2] = {{m_listen_fd, POLLIN, 0}, {m_wake_fd, POLLIN, 0}};
      if (::poll(fds, 2, -1) < 0 && errno != EINTR) return;
      if (fds[1].revents != 0) return;
      if ((fds[0].revents & POLLIN) == 0) continue;
      const int fd = ::accept4(m_listen_fd, nullptr, nullptr, SOCK_CLOEXEC);  // blocking: each has its thread
      if (fd < 0) continue;
      const std::lock_guard lock(m_mutex);
      m_connections.remove_if([](const auto& c) {
        if (!c->done) return false;
        finish(*c);
        return true;
      });
      auto connection = std::make_unique<Connection>();
      connection->fd = fd;
      Connection* raw = connection.get();
      connection->thread = std::thread([this, raw] {
        serve(raw->fd);
        // The client sees the end of the stream now (one that sent
        // `Connection: close` reads until it); the descriptor itself is
        // closed when the thread is joined, so stop() never touches a reused one.
        ::shutdown(raw->fd, SHUT_RDWR);
        raw->done = true;
      });
      m_connections.push_back(std::move(connection));
    }
  }

  // Requests one after the other on one connection, until it closes.
  void serve(int fd) {
    std::string buffer;
    for (;;) {
      std::size_t end = 0;
      while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
        if (buffer.size() > k_max_head) {
          send_response(fd, {431, "", ""}, true, true);
          return;
        }
        if (!read_more(fd, buffer)) return;
      }
      ApiRequest request;
      std::string_view head(buffer.data(), end);
      const auto line_end = head.find("\r\n");
      const auto request_line = head.substr(0, line_end);
      const auto first_space = request_line.find(' ');
      const auto last_space = request_line.rfind(' ');
      if (first_space == std::string_view::npos || last_space == first_space ||
          !request_line.substr(last_space + 1).starts_with("HTTP/1.")) {
        send_response(fd, {400, "", ""}, true, true);
        return;
      }
      request.method = std::string(request_line.substr(0, first_space));
      const auto target = request_line.substr(first_space + 1, last_space - first_space - 1);
      request.path = percent_decode(target.substr(0, target.find('?')));
      const bool http10 = request_line.substr(last_space + 1) == "HTTP/1.0";
      std::string_view rest = line_end == std::string_view::npos ? std::string_view() : head.substr(line_end + 2);
      while (!rest.empty()) {
        const auto next = rest.find("\r\n");
        const auto line = rest.substr(0, next);
        if (const auto colon = line.find(':'); colon != std::string_view::npos) {
          request.headers[lower(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
        }
        if (next == std::string_view::npos) break;
        rest.remove_prefix(next + 2);
      }
      buffer.erase(0, end + 4);

      const auto connection = lower(request.header("connection"));
      const bool close = http10 ? connection != "keep-alive" : connection == "close";
      if (!request.header("transfer-encoding").empty()) {
        send_response(fd, {411, "", ""}, true, true);
        return;
      }
      std::size_t length = 0;
      if (const auto text = request.header("content-length"); !text.empty()) {
        if (text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos) {
          send_response(fd, {400, "", ""}, true, true);
          return;
        }
        length = std::stoul(text);
        if (length > k_max_body) {
          send_response(fd, {413, "", ""}, true, true);
          return;
        }
      }
      if (length > buffer.size() && lower(request.header("expect")) == "100-continue") {
        if (!send_all(fd, "HTTP/1.1 100 Continue\r\n\r\n")) return;
      }
      while (buffer.size() < length) {
        if (!read_more(fd, buffer)) return;
      }
      request.body = buffer.substr(0, length);
      buffer.erase(0, length);

      const bool head_request = request.method == "HEAD";
      if (head_request) request.method = "GET";
      ApiResponse response;
      try {
        response = m_handler(request);
      } catch (const std::exception& e) {
        response = {500, "text/plain", std::string(e.what()) + "\n"};
      }
      if (!send_response(fd, response, !head_request, close) || close) return;
    }
  }

  ApiHandler m_handler;
  int m_listen_fd = -1;
  int m_wake_fd = -1;
  int m_port = 0;
  std::thread m_thread;
  std::mutex m_mutex;  // m_connections
  std::list<std::unique_ptr<Connection>> m_connections;
};

}  // namespace

std::string ApiRequest::header(const std::string& lower_case_name) const {
  const auto it = headers.find(lower_case_name);
  return it == headers.end() ? std::string() : it->second;
}

std::unique_ptr<ApiServer> start_api_server(const std::string& host, int port, ApiHandler handler) {
  return std::make_unique<SocketApiServer>(host, port, std::move(handler));
}

}  // namespace chaosgate::fault_proxy
