#include "support/test_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <stdexcept>

namespace chaosgate::test {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

std::optional<std::string> RecordedRequest::header(const std::string& name) const {
  const auto it = headers.find(lower(name));
  return it == headers.end() ? std::nullopt : std::optional(it->second);
}

TestHttpServer::TestHttpServer() : m_server(std::make_unique<httplib::Server>()) {}

TestHttpServer::TestHttpServer(const TlsFiles& tls)
    : m_server(std::make_unique<httplib::SSLServer>(tls.cert_path.c_str(), tls.key_path.c_str())),
      m_tls(true) {
  if (!m_server->is_valid()) throw std::runtime_error("cannot load " + tls.cert_path);
}

TestHttpServer::~TestHttpServer() {
  if (m_thread.joinable()) {
    m_server->stop();
    m_thread.join();
  }
}

TestHttpServer& TestHttpServer::on(const std::string& method, const std::string& pattern,
                                   Handler handler) {
  // Recorded before the handler answers, so the client never sees a response
  // before the request is in requests().
  auto recording = [this, handler = std::move(handler)](const httplib::Request& req,
                                                        httplib::Response& res) {
    record(req);
    handler(req, res);
  };
  if (method == "GET") {
    m_server->Get(pattern, recording);
  } else if (method == "POST") {
    m_server->Post(pattern, recording);
  } else if (method == "PUT") {
    m_server->Put(pattern, recording);
  } else if (method == "PATCH") {
    m_server->Patch(pattern, recording);
  } else if (method == "DELETE") {
    m_server->Delete(pattern, recording);
  } else {
    throw std::invalid_argument("unsupported method " + method);
  }
  return *this;
}

void TestHttpServer::start() {
  m_server->set_keep_alive_timeout(1);  // so stop() is not held up by idle connections
  m_port = m_server->bind_to_any_port("127.0.0.1");
  if (m_port <= 0) throw std::runtime_error("cannot bind 127.0.0.1");
  m_thread = std::thread([this] { m_server->listen_after_bind(); });
  // The socket already listens (connections would queue); wait for the accept loop anyway.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!m_server->is_running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

std::string TestHttpServer::url(const std::string& path) const {
  return std::string(m_tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(m_port) + path;
}

std::vector<RecordedRequest> TestHttpServer::requests() const {
  std::lock_guard lock(m_mutex);
  return m_requests;
}

void TestHttpServer::record(const httplib::Request& request) {
  RecordedRequest recorded{request.method, request.path, request.target, {}, request.body};
  for (const auto& [name, value] : request.headers) recorded.headers.emplace(lower(name), value);
  std::lock_guard lock(m_mutex);
  m_requests.push_back(std::move(recorded));
}

int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  ::close(fd);  // never listened: connections to the port are refused
  if (!ok) throw std::runtime_error("cannot find a free port");
  return ntohs(address.sin_port);
}

std::optional<TlsFiles> make_self_signed_cert(const std::string& dir) {
  if (std::system("command -v openssl >/dev/null 2>&1") != 0) return std::nullopt;
  TlsFiles files{dir + "/cert.pem", dir + "/key.pem"};
  const auto command = "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1"
                       " -addext subjectAltName=IP:127.0.0.1 -days 1 -keyout '" +
                       files.key_path + "' -out '" + files.cert_path + "' >/dev/null 2>&1";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("openssl req failed");
  return files;
}

}  // namespace chaosgate::test
