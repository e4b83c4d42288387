#pragma once
// A real HTTP(S) server on 127.0.0.1 for tests: stand-ins for suite servers,
// Jira, GitLab. It records what reached its handlers so tests can assert on the
// exact request.
#include <httplib.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace chaosgate::test {

struct RecordedRequest {
  std::string method;
  std::string path;    // decoded, without the query
  std::string target;  // as sent: path and query, still percent-encoded
  std::multimap<std::string, std::string> headers;  // names lower-cased
  std::string body;

  // First value of a header (name case-insensitive), or nullopt.
  std::optional<std::string> header(const std::string& name) const;
};

struct TlsFiles {
  std::string cert_path;  // PEM certificate, also usable as a CA bundle (self-signed)
  std::string key_path;
};

class TestHttpServer {
public:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

  TestHttpServer();                              // plain HTTP
  explicit TestHttpServer(const TlsFiles& tls);  // HTTPS with this certificate
  ~TestHttpServer();                             // stops and joins
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;

  // Registers a handler for `method` ("GET", "POST", "PUT", "PATCH", "DELETE")
  // and a path regex (httplib syntax). Call before start(). HEAD requests reach
  // the GET handler.
  TestHttpServer& on(const std::string& method, const std::string& pattern, Handler handler);

  // Binds 127.0.0.1 on a free port and serves on a thread; returns once the
  // server accepts connections.
  void start();

  int port() const { return m_port; }
  // "http://127.0.0.1:PORT" + path (https:// for a TLS server).
  std::string url(const std::string& path = "") const;

  // The requests that reached a registered handler, in arrival order.
  std::vector<RecordedRequest> requests() const;

private:
  void record(const httplib::Request& request);

  std::unique_ptr<httplib::Server> m_server;
  bool m_tls = false;
  int m_port = 0;
  std::thread m_thread;
  mutable std::mutex m_mutex;
  std::vector<RecordedRequest> m_requests;
};

// A port on 127.0.0.1 that nothing listens on (bound, then closed): connecting
// to it is refused.
int closed_port();

// Writes a self-signed certificate for CN/IP 127.0.0.1 and its key into `dir`
// using the openssl command line tool; nullopt when openssl is not installed.
std::optional<TlsFiles> make_self_signed_cert(const std::string& dir);

}  // namespace chaosgate::test
