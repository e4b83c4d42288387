// Plain HTTP/1.1 over a non-blocking socket, every wait a poll() bounded by the
// request's deadlines. Messages follow libcurl's wording where a reader may
// know it ("Could not resolve host: x", "Operation timed out after ...").
#include "http/plain_http_client.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <string_view>
#include <thread>
#include <utility>

#include "http/plain_url.h"
#include "http/proxy_env.h"
#include "util/redact.h"

namespace chaosgate::http {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::duration_cast;
using std::chrono::milliseconds;

constexpr std::array<std::string_view, 6> k_methods = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"};
constexpr std::size_t k_max_head_bytes = 100 * 1024;  // libcurl's limit for a response's headers

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  const auto end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

bool has_line_break(const std::string& text) { return text.find_first_of("\r\n") != std::string::npos; }

long long ms_since(Clock::time_point start) { return duration_cast<milliseconds>(Clock::now() - start).count(); }

// poll()'s timeout for a deadline: at least 1 ms while it is ahead, so a wait
// never spins, 0 once it has passed.
int poll_timeout(Clock::time_point deadline) {
  const auto left = deadline - Clock::now();
  if (left <= Clock::duration::zero()) return 0;
  return static_cast<int>(std::max<long long>(1, duration_cast<milliseconds>(left + std::chrono::microseconds(999)).count()));
}

// Waits for `events` on `fd` until `deadline`, looking at `stop` (when
// given) every 100 ms. `ready` also when poll() fails: the caller's next
// send or recv reports the error.
enum class Wait { ready, deadline_passed, stopped };
Wait wait_for(int fd, short events, Clock::time_point deadline, const Cancellation* stop) {
  for (;;) {
    if (stop != nullptr && stop->cancelled()) return Wait::stopped;
    int timeout = poll_timeout(deadline);
    if (timeout == 0) return Wait::deadline_passed;
    if (stop != nullptr) timeout = std::min(timeout, 100);
    pollfd pfd{fd, events, 0};
    const int ready = ::poll(&pfd, 1, timeout);
    if (ready > 0 || (ready < 0 && errno != EINTR)) return Wait::ready;
  }
}

class Socket {
public:
  explicit Socket(int fd) : m_fd(fd) {}
  ~Socket() {
    if (m_fd >= 0) ::close(m_fd);
  }
  Socket(Socket&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
  Socket& operator=(Socket&&) = delete;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return m_fd; }

private:
  int m_fd;
};

// Why a step failed, before it is turned into a redacted Failure.
struct Problem {
  FailureKind kind;
  std::string detail;
};

Problem cut_short(const Cancellation& stop) { return Problem{FailureKind::cancelled, stop.reason()}; }

struct Address {
  sockaddr_storage storage{};
  socklen_t length = 0;
  int family = AF_UNSPEC;
};

// An IP literal needs no lookup (no thread either).
std::optional<Address> numeric_address(const std::string& host, int port) {
  Address address;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&address.storage);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<std::uint16_t>(port));
    address.length = sizeof(sockaddr_in);
    address.family = AF_INET;
    return address;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&address.storage);
  if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<std::uint16_t>(port));
    address.length = sizeof(sockaddr_in6);
    address.family = AF_INET6;
    return address;
  }
  return std::nullopt;
}

// getaddrinfo() cannot be given a deadline, so it runs on a thread of its own
// that is left behind when the deadline passes, as libcurl's threaded
// resolver does; the shared state outlives whichever side finishes last.
struct Lookup {
  std::mutex mutex;
  std::condition_variable done_changed;
  bool done = false;
  int code = 0;
  std::vector<Address> addresses;
};

std::variant<std::vector<Address>, Problem> resolve(const std::string& host, int port, Clock::time_point deadline,
                                                    Clock::time_point start, const Cancellation* stop) {
  if (auto address = numeric_address(host, port)) return std::vector<Address>{*address};
  auto lookup = std::make_shared<Lookup>();
  std::thread([lookup, host, port] {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const int code = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found);
    std::vector<Address> addresses;
    for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
      if (a->ai_addrlen > sizeof(sockaddr_storage)) continue;
      Address address;
      std::memcpy(&address.storage, a->ai_addr, a->ai_addrlen);
      address.length = a->ai_addrlen;
      address.family = a->ai_family;
      addresses.push_back(address);
    }
    if (found != nullptr) freeaddrinfo(found);
    const std::lock_guard lock(lookup->mutex);
    lookup->code = code;
    lookup->addresses = std::move(addresses);
    lookup->done = true;
    lookup->done_changed.notify_all();
  }).detach();
  std::unique_lock lock(lookup->mutex);
  while (!lookup->done) {
    if (stop != nullptr && stop->cancelled()) return cut_short(*stop);
    if (Clock::now() >= deadline) {
      return Problem{FailureKind::timeout, "Resolving timed out after " + std::to_string(ms_since(start)) + " milliseconds"};
    }
    lookup->done_changed.wait_until(lock, stop != nullptr ? std::min(deadline, Clock::now() + milliseconds(100)) : deadline);
  }
  if (lookup->code != 0 || lookup->addresses.empty()) {
    return Problem{FailureKind::resolve, "Could not resolve host: " + host};
  }
  return std::move(lookup->addresses);
}

// Tries each address in turn, each given an equal share of what is left of
// the connect deadline (libcurl also splits it between addresses).
std::variant<Socket, Problem> connect_to(const PlainUrl& url, const std::vector<Address>& addresses,
                                         Clock::time_point deadline, Clock::time_point start, const Cancellation* stop) {
  int last_error = ECONNREFUSED;
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    const auto& address = addresses[i];
    Socket socket(::socket(address.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (socket.fd() < 0) {
      last_error = errno;
      continue;
    }
    const int one = 1;
    ::setsockopt(socket.fd(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // as libcurl does
    const auto share = (deadline - Clock::now()) / static_cast<long>(addresses.size() - i);
    const auto attempt_deadline = i + 1 == addresses.size() ? deadline : Clock::now() + share;
    int error = 0;
    if (::connect(socket.fd(), reinterpret_cast<const sockaddr*>(&address.storage), address.length) != 0) {
      error = errno;
      if (error == EINPROGRESS) {
        const Wait waited = wait_for(socket.fd(), POLLOUT, attempt_deadline, stop);
        if (waited == Wait::stopped) return cut_short(*stop);
        if (waited == Wait::deadline_passed) {
          last_error = ETIMEDOUT;
          continue;
        }
        socklen_t length = sizeof error;
        ::getsockopt(socket.fd(), SOL_SOCKET, SO_ERROR, &error, &length);
      }
    }
    if (error == 0) return socket;
    last_error = error;
  }
  if (last_error == ETIMEDOUT) {
    return Problem{FailureKind::timeout, "Connection timed out after " + std::to_string(ms_since(start)) + " milliseconds"};
  }
  return Problem{FailureKind::connect, "Failed to connect to " + url.host + " port " + std::to_string(url.port) +
                                           " after " + std::to_string(ms_since(start)) +
                                           " ms: " + std::strerror(last_error)};
}

// The bytes libcurl would send: its default headers (Host, User-Agent,
// Accept) unless the request names them, the request's own headers ("Name"
// with an empty value is sent empty), and for a request with a body (any
// method but GET, HEAD and a DELETE without one) Content-Length and, when the
// request has none, libcurl's default Content-Type for posted fields.
std::string request_bytes(const Request& request, const PlainUrl& url, const std::string& user_agent) {
  const auto named = [&](std::string_view name) {
    return std::any_of(request.headers.begin(), request.headers.end(),
                       [&](const auto& header) { return lower(header.first) == name; });
  };
  const bool has_body =
      request.method != "HEAD" && (request.method != "GET" || !request.body.empty()) &&
      (request.method != "DELETE" || !request.body.empty());
  std::string bytes = request.method + " " + url.target + " HTTP/1.1\r\n";
  if (!named("host")) bytes += "Host: " + url.host_header + "\r\n";
  if (!named("user-agent")) bytes += "User-Agent: " + user_agent + "\r\n";
  if (!named("accept")) bytes += "Accept: */*\r\n";
  for (const auto& [name, value] : request.headers) bytes += name + (value.empty() ? ":" : ": " + value) + "\r\n";
  if (has_body) {
    if (!named("content-length")) bytes += "Content-Length: " + std::to_string(request.body.size()) + "\r\n";
    if (!named("content-type")) bytes += "Content-Type: application/x-www-form-urlencoded\r\n";
  }
  bytes += "\r\n";
  if (has_body) bytes += request.body;
  return bytes;
}

std::string timed_out(Clock::time_point start, std::size_t received) {
  return "Operation timed out after " + std::to_string(ms_since(start)) + " milliseconds with " +
         std::to_string(received) + " bytes received";
}

std::optional<Problem> send_all(const Socket& socket, const std::string& bytes, Clock::time_point deadline,
                                Clock::time_point start, const Cancellation* stop) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const auto n = ::send(socket.fd(), bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
      return Problem{FailureKind::other, std::string("Send failure: ") + std::strerror(errno)};
    }
    const Wait waited = wait_for(socket.fd(), POLLOUT, deadline, stop);
    if (waited == Wait::stopped) return cut_short(*stop);
    if (waited == Wait::deadline_passed) return Problem{FailureKind::timeout, timed_out(start, 0)};
  }
  return std::nullopt;
}

// Reads the response as it arrives and knows when it is complete.
class ResponseReader {
public:
  ResponseReader(const Socket& socket, Clock::time_point deadline, Clock::time_point start, const Cancellation* stop)
      : m_socket(socket), m_deadline(deadline), m_start(start), m_stop(stop) {}

  std::variant<Response, Problem> read(bool head_request, std::size_t max_body);

private:
  // Appends what the socket has to m_buffer, waiting until the deadline.
  // Returns false at the end of the stream; a Problem on errors and timeouts.
  std::variant<bool, Problem> fill();
  std::optional<Problem> read_head(Response& response);
  std::optional<Problem> read_chunked(std::string& body, std::size_t max_body);
  // One line of a chunked body, without its line end; nullopt at a premature end.
  std::variant<std::string, Problem> read_line();

  const Socket& m_socket;
  Clock::time_point m_deadline;
  Clock::time_point m_start;
  const Cancellation* m_stop;
  std::string m_buffer;  // received, not yet consumed
  std::size_t m_received = 0;
};

std::variant<bool, Problem> ResponseReader::fill() {
  // Not zeroed: recv writes what it returns, and zeroing 16 KiB touched four
  // fresh stack pages in every short-lived run.
  std::array<char, 16384> chunk;
  for (;;) {
    const auto n = ::recv(m_socket.fd(), chunk.data(), chunk.size(), 0);
    if (n > 0) {
      m_buffer.append(chunk.data(), static_cast<std::size_t>(n));
      m_received += static_cast<std::size_t>(n);
      return true;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      return Problem{FailureKind::other, std::string("Recv failure: ") + std::strerror(errno)};
    }
    const Wait waited = wait_for(m_socket.fd(), POLLIN, m_deadline, m_stop);
    if (waited == Wait::stopped) return cut_short(*m_stop);
    if (waited == Wait::deadline_passed) return Problem{FailureKind::timeout, timed_out(m_start, m_received)};
  }
}

std::optional<Problem> ResponseReader::read_head(Response& response) {
  for (;;) {  // 1xx answers (100 Continue, 103 Early Hints) precede the final one
    std::size_t end = std::string::npos;
    std::size_t separator = 0;
    while (true) {
      // libcurl takes an answer that does not start as HTTP/1.x does for HTTP/0.9, which it refuses.
      if (m_buffer.size() >= 5 && !m_buffer.starts_with("HTTP/")) {
        return Problem{FailureKind::bad_request, "Received HTTP/0.9 when not allowed"};
      }
      const auto crlf = m_buffer.find("\r\n\r\n");
      const auto lf = m_buffer.find("\n\n");
      end = std::min(crlf, lf);
      separator = end == crlf ? 4 : 2;
      if (end != std::string::npos) break;
      if (m_buffer.size() > k_max_head_bytes) return Problem{FailureKind::other, "Response headers too large"};
      auto more = fill();
      if (auto* problem = std::get_if<Problem>(&more)) return std::move(*problem);
      if (!std::get<bool>(more)) {
        return Problem{FailureKind::other, m_received == 0 ? "Empty reply from server" : "Incomplete response headers"};
      }
    }
    const std::string head = m_buffer.substr(0, end);
    m_buffer.erase(0, end + separator);

    std::string_view rest(head);
    const auto line_end = rest.find('\n');
    const auto status_line = trim(rest.substr(0, line_end));
    // "HTTP/1.x NNN reason"
    if (status_line.size() < 12 || !status_line.starts_with("HTTP/1.") || status_line[8] != ' ' ||
        !std::all_of(status_line.begin() + 9, status_line.begin() + 12, [](char c) { return c >= '0' && c <= '9'; }) ||
        (status_line.size() > 12 && status_line[12] != ' ')) {
      return Problem{FailureKind::bad_request, "Unsupported response code in HTTP response"};  // as libcurl
    }
    response.status = std::stol(status_line.substr(9, 3));
    response.headers.clear();
    rest = line_end == std::string_view::npos ? std::string_view() : rest.substr(line_end + 1);
    while (!rest.empty()) {
      const auto next = rest.find('\n');
      const auto line = rest.substr(0, next);
      if (const auto colon = line.find(':'); colon != std::string_view::npos) {
        response.headers.emplace_back(lower(trim(line.substr(0, colon))), trim(line.substr(colon + 1)));
      }
      if (next == std::string_view::npos) break;
      rest.remove_prefix(next + 1);
    }
    if (response.status >= 100 && response.status < 200 && response.status != 101) continue;
    return std::nullopt;
  }
}

std::variant<std::string, Problem> ResponseReader::read_line() {
  for (;;) {
    if (const auto end = m_buffer.find('\n'); end != std::string::npos) {
      std::string line = m_buffer.substr(0, end);
      m_buffer.erase(0, end + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return line;
    }
    auto more = fill();
    if (auto* problem = std::get_if<Problem>(&more)) return std::move(*problem);
    if (!std::get<bool>(more)) return Problem{FailureKind::other, "transfer closed with outstanding read data remaining"};
  }
}

std::optional<Problem> ResponseReader::read_chunked(std::string& body, std::size_t max_body) {
  for (;;) {
    auto size_line = read_line();
    if (auto* problem = std::get_if<Problem>(&size_line)) return std::move(*problem);
    const auto& text = std::get<std::string>(size_line);
    std::size_t size = 0;
    std::size_t digits = 0;
    for (char c : text) {
      const int value = std::isxdigit(static_cast<unsigned char>(c)) == 0 ? -1
                        : c <= '9'                                          ? c - '0'
                                                                            : (std::tolower(c) - 'a' + 10);
      if (value < 0) break;  // a chunk extension (";name=value") follows
      if (++digits > 15) return Problem{FailureKind::other, "Malformed encoding found in chunked-encoding"};
      size = size * 16 + static_cast<std::size_t>(value);
    }
    if (digits == 0) return Problem{FailureKind::other, "Malformed encoding found in chunked-encoding"};
    if (size == 0) {
      for (;;) {  // trailers, up to the empty line
        auto trailer = read_line();
        if (auto* problem = std::get_if<Problem>(&trailer)) return std::move(*problem);
        if (std::get<std::string>(trailer).empty()) return std::nullopt;
      }
    }
    if (body.size() + size > max_body) return Problem{FailureKind::too_large, {}};
    while (m_buffer.size() < size + 1 || (m_buffer[size] == '\r' && m_buffer.size() < size + 2)) {
      auto more = fill();
      if (auto* problem = std::get_if<Problem>(&more)) return std::move(*problem);
      if (!std::get<bool>(more)) return Problem{FailureKind::other, "transfer closed with outstanding read data remaining"};
    }
    body.append(m_buffer, 0, size);
    const std::size_t line_end = m_buffer[size] == '\r' ? 2 : 1;
    if (m_buffer[size + line_end - 1] != '\n') return Problem{FailureKind::other, "Malformed encoding found in chunked-encoding"};
    m_buffer.erase(0, size + line_end);
  }
}

std::variant<Response, Problem> ResponseReader::read(bool head_request, std::size_t max_body) {
  Response response;
  if (auto problem = read_head(response)) return std::move(*problem);
  if (head_request || response.status == 204 || response.status == 304) return response;

  const auto encoding = response.header("transfer-encoding");
  if (encoding && lower(*encoding).find("chunked") != std::string::npos) {
    if (auto problem = read_chunked(response.body, max_body)) return std::move(*problem);
    return response;
  }
  if (const auto length_text = response.header("content-length")) {
    std::size_t length = 0;
    if (length_text->empty() || length_text->size() > 18 ||
        !std::all_of(length_text->begin(), length_text->end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return Problem{FailureKind::other, "Invalid Content-Length: " + *length_text};
    }
    length = std::stoull(*length_text);
    if (length > max_body) return Problem{FailureKind::too_large, {}};
    while (m_buffer.size() < length) {
      auto more = fill();
      if (auto* problem = std::get_if<Problem>(&more)) return std::move(*problem);
      if (!std::get<bool>(more)) {
        return Problem{FailureKind::other,
                       "transfer closed with " + std::to_string(length - m_buffer.size()) + " bytes remaining to read"};
      }
    }
    response.body = m_buffer.substr(0, length);
    return response;
  }
  for (;;) {  // no length: the body ends with the connection
    if (m_buffer.size() > max_body) return Problem{FailureKind::too_large, {}};
    auto more = fill();
    if (auto* problem = std::get_if<Problem>(&more)) return std::move(*problem);
    if (!std::get<bool>(more)) break;
  }
  if (m_buffer.size() > max_body) return Problem{FailureKind::too_large, {}};
  response.body = std::move(m_buffer);
  return response;
}

class PlainHttpClient final : public HttpClient {
public:
  explicit PlainHttpClient(std::string user_agent) : m_user_agent(std::move(user_agent)) {}

  Result send(const Request& request) override {
    const auto failure = [&](FailureKind kind, std::string_view detail) {
      return Failure{kind, redact(request.method + " " + request.url + ": " + std::string(detail))};
    };
    if (std::find(k_methods.begin(), k_methods.end(), request.method) == k_methods.end()) {
      return failure(FailureKind::bad_request, "unsupported method");
    }
    for (const auto& [name, value] : request.headers) {
      if (name.empty() || has_line_break(name) || has_line_break(value)) {
        return failure(FailureKind::bad_request, "invalid header " + name);
      }
    }
    const auto url = parse_plain_url(request.url);
    if (!url) return failure(FailureKind::bad_request, "not a plain http:// URL");

    const auto start = Clock::now();
    const auto deadline = start + request.timeout;
    const auto connect_deadline = std::min(deadline, start + request.connect_timeout);
    auto addresses = resolve(url->host, url->port, connect_deadline, start, request.stop);
    if (auto* problem = std::get_if<Problem>(&addresses)) return failure(problem->kind, problem->detail);
    auto connected = connect_to(*url, std::get<std::vector<Address>>(addresses), connect_deadline, start, request.stop);
    if (auto* problem = std::get_if<Problem>(&connected)) return failure(problem->kind, problem->detail);
    const auto& socket = std::get<Socket>(connected);

    if (auto problem = send_all(socket, request_bytes(request, *url, m_user_agent), deadline, start, request.stop)) {
      return failure(problem->kind, problem->detail);
    }
    ResponseReader reader(socket, deadline, start, request.stop);
    auto read = reader.read(request.method == "HEAD", request.max_response_bytes);
    if (auto* problem = std::get_if<Problem>(&read)) {
      if (problem->kind == FailureKind::too_large) {
        return failure(FailureKind::too_large,
                       "response larger than " + std::to_string(request.max_response_bytes) + " bytes");
      }
      return failure(problem->kind, problem->detail);
    }
    auto& response = std::get<Response>(read);
    response.elapsed = duration_cast<std::chrono::microseconds>(Clock::now() - start);
    return std::move(response);
  }

private:
  std::string m_user_agent;
};

// Plain where that is exactly what libcurl would do, libcurl otherwise.
class RoutingHttpClient final : public HttpClient {
public:
  explicit RoutingHttpClient(const ClientOptions& options)
      : m_plain(make_plain_http_client(options)), m_curl(make_curl_client(options)) {}

  Result send(const Request& request) override {
    if (!request.follow_redirects) {
      if (const auto url = parse_plain_url(request.url); url && !proxy_may_apply(url->host)) {
        return m_plain->send(request);
      }
    }
    return m_curl->send(request);
  }

private:
  std::unique_ptr<HttpClient> m_plain;
  std::unique_ptr<HttpClient> m_curl;
};

}  // namespace

std::unique_ptr<HttpClient> make_plain_http_client(const ClientOptions& options) {
  return std::make_unique<PlainHttpClient>(options.user_agent);
}

std::unique_ptr<HttpClient> make_http_client(const ClientOptions& options) {
  return std::make_unique<RoutingHttpClient>(options);
}

}  // namespace chaosgate::http
