#pragma once
// The small HTTP/1.1 server under the control API: a handful of small JSON
// calls from a few clients, so one thread accepts and each connection gets a
// thread of its own (a client may hold an idle keep-alive connection while it
// opens another). Written here rather than taken from cpp-httplib so that the
// chaosgate binary does not link cpp-httplib and, through it, libssl,
// libcrypto, zlib and brotli: loading them was about half of every command's
// start-up, also of those that never serve the API.
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace chaosgate::fault_proxy {

struct ApiRequest {
  std::string method;  // HEAD is handed over as GET (its answer is sent without the body)
  std::string path;    // percent-decoded, without the query
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  // The header's value, "" when absent.
  std::string header(const std::string& lower_case_name) const;
};

struct ApiResponse {
  int status = 200;
  std::string content_type;  // no Content-Type header when empty
  std::string body;
};

using ApiHandler = std::function<ApiResponse(const ApiRequest&)>;

class ApiServer {
public:
  virtual ~ApiServer() = default;
  virtual int port() const = 0;  // the port bound
  virtual void stop() = 0;       // idempotent: closes the listener and every connection, joins the threads
};

// Listens on host:port (0 = a free port) and serves every request with
// `handler`, which may be called from several threads at once. Requests with a
// body must give its Content-Length (411 otherwise; bodies over 1 MiB: 413);
// `Expect: 100-continue` is answered; connections are kept alive (HTTP/1.1
// unless `Connection: close`) and closed after 5 s idle. Throws
// std::runtime_error when the address cannot be resolved or bound.
std::unique_ptr<ApiServer> start_api_server(const std::string& host, int port, ApiHandler handler);

}  // namespace chaosgate::fault_proxy
