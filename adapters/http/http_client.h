#pragma once
// The one HTTP seam. An HTTP 404 or 500 is a *response*, returned as data;
// only transport failures (DNS, connect, TLS, timeout, oversize) are errors.
#include <chrono>
#include <cstddef>
#include <ctime>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "engine/cancellation.h"

namespace chaosgate::http {

struct Request {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{10000};       // whole transfer
  std::chrono::milliseconds connect_timeout{5000};
  std::size_t max_response_bytes = 64 * 1024 * 1024;
  bool follow_redirects = true;                    // at most 5 hops
  // When given and cancelled (the experiment aborted, the gate interrupted),
  // the transfer is given up: a Failure of kind `cancelled`, within ~0.1 s
  // (plain) or ~1 s (libcurl's progress callback). Null: only the timeouts end it.
  const Cancellation* stop = nullptr;
};

struct Response {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::chrono::microseconds elapsed{0};  // request sent -> last byte received

  // First header with this (case-insensitive) name, or nullopt.
  std::optional<std::string> header(const std::string& name) const;
};

enum class FailureKind {
  resolve,      // name did not resolve
  connect,      // refused / unreachable
  tls,          // certificate or handshake
  timeout,      // connect or transfer timed out
  too_large,    // response exceeded max_response_bytes
  bad_request,  // malformed URL, unsupported scheme
  cancelled,    // Request::stop was cancelled: given up, not failed
  other,
};

struct Failure {
  FailureKind kind = FailureKind::other;
  std::string message;  // already redacted, safe to log
};

using Result = std::variant<Response, Failure>;

struct ClientOptions {
  std::string ca_bundle;  // PEM file; empty: the system store
  bool verify_tls = true;  // off only by an explicit user flag
  std::string user_agent = "chaosgate";
};

class HttpClient {
public:
  virtual ~HttpClient() = default;
  // Performs the request. Never throws for transport problems: they come back
  // as a Failure. Honours the usual proxy environment variables.
  virtual Result send(const Request& request) = 0;
};

// The standard reason phrase of an HTTP status ("Not Found" for 404), or ""
// for a code without one; for messages such as "HTTP 404 Not Found".
std::string reason_phrase(long status);

// Creates its own curl handle per request, so one client may be shared by
// threads. Redirects are followed by hand so that credential headers are
// dropped when a redirect leaves the original origin.
// The libcurl implementation (adapters/http/curl_http_client.cpp). libcurl is
// loaded on the first request (CHAOSGATE_LIBCURL names another build of it);
// when it cannot be, every request is a Failure that says so.
std::unique_ptr<HttpClient> make_curl_client(const ClientOptions& options = {});

// An HTTP date in any of the three formats RFC 9110 allows ("Wed, 21 Oct 2015
// 07:28:00 GMT", ...), parsed by libcurl; nullopt when it is not one or
// libcurl cannot be loaded.
std::optional<std::time_t> parse_http_date(const std::string& text);

}  // namespace chaosgate::http
