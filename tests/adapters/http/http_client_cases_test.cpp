// The cases both HTTP clients must answer alike (libcurl's and the plain one
// the probes use for http:// URLs), run against the same real servers.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include "http/http_client.h"
#include "http/plain_http_client.h"
#include "support/cancel_after.h"
#include "support/http_results.h"
#include "support/test_http_server.h"
#include "util/redact.h"

namespace chaosgate::http {
namespace {

using test::expect_failure;
using test::expect_response;
using test::TestHttpServer;
using namespace std::chrono_literals;

Request get(const std::string& url) {
  Request request;
  request.url = url;
  request.follow_redirects = false;  // what probes send, and all the plain client carries
  return request;
}

// A server on 127.0.0.1 that answers every connection with the same raw
// bytes (after reading the request head), then closes it: for answers that
// no well-behaved HTTP server library would give.
class RawHttpServer {
public:
  explicit RawHttpServer(std::string answer) : m_answer(std::move(answer)) {
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(m_fd, reinterpret_cast<sockaddr*>(&address), length) != 0 || ::listen(m_fd, 8) != 0 ||
        ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      throw std::runtime_error("cannot listen on 127.0.0.1");
    }
    m_port = ntohs(address.sin_port);
    m_thread = std::thread([this] { serve(); });
  }
  ~RawHttpServer() {
    m_stop = true;
    m_thread.join();
    ::close(m_fd);
  }
  RawHttpServer(const RawHttpServer&) = delete;
  RawHttpServer& operator=(const RawHttpServer&) = delete;

  std::string url(const std::string& path = "/") const { return "http://127.0.0.1:" + std::to_string(m_port) + path; }

private:
  void serve() {
    while (!m_stop) {
      pollfd pfd{m_fd, POLLIN, 0};
      if (::poll(&pfd, 1, 20) <= 0) continue;
      const int client = ::accept4(m_fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) continue;
      std::string head;
      char buffer[4096];
      const auto until = std::chrono::steady_clock::now() + 2s;
      while (head.find("\r\n\r\n") == std::string::npos && std::chrono::steady_clock::now() < until) {
        pollfd in{client, POLLIN, 0};
        if (::poll(&in, 1, 20) <= 0) continue;
        const auto n = ::recv(client, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        head.append(buffer, static_cast<std::size_t>(n));
      }
      if (!m_answer.empty()) (void)!::send(client, m_answer.data(), m_answer.size(), MSG_NOSIGNAL);
      ::close(client);
    }
  }

  std::string m_answer;
  int m_fd = -1;
  int m_port = 0;
  std::atomic<bool> m_stop{false};
  std::thread m_thread;
};

struct ClientKind {
  const char* name;
  std::function<std::unique_ptr<HttpClient>()> make;
};

class HttpClientCases : public ::testing::TestWithParam<ClientKind> {
protected:
  std::unique_ptr<HttpClient> client() const { return GetParam().make(); }
};

TEST_P(HttpClientCases, Returns200WithBodyAndLowerCasedHeaders) {
  TestHttpServer server;
  server.on("GET", "/hello", [](const auto&, auto& res) {
    res.set_header("X-Custom-Header", "Value");
    res.set_content("hi there", "text/plain");
  });
  server.start();

  const auto response = expect_response(client()->send(get(server.url("/hello"))));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "hi there");
  EXPECT_EQ(response.header("content-type"), "text/plain");
  EXPECT_EQ(response.header("X-CUSTOM-HEADER"), "Value");
  bool found = false;
  for (const auto& [name, value] : response.headers) found |= name == "x-custom-header";
  EXPECT_TRUE(found) << "header names are stored lower-cased";
  EXPECT_GT(response.elapsed.count(), 0);
  EXPECT_EQ(response.header("missing"), std::nullopt);
}

TEST_P(HttpClientCases, NotFoundAndServerErrorAreResponses) {
  TestHttpServer server;
  server.on("GET", "/boom", [](const auto&, auto& res) {
    res.status = 500;
    res.set_content("broken", "text/plain");
  });
  server.start();
  const auto http = client();

  EXPECT_EQ(expect_response(http->send(get(server.url("/missing")))).status, 404);
  const auto response = expect_response(http->send(get(server.url("/boom"))));
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body, "broken");
}

TEST_P(HttpClientCases, PostSendsBodyAndHeadersExactly) {
  TestHttpServer server;
  server.on("POST", "/echo", [](const auto& req, auto& res) {
    res.status = 201;
    res.set_content(req.body, "application/json");
  });
  server.start();

  Request request = get(server.url("/echo?x=1&y=%20"));
  request.method = "POST";
  request.body = R"({"a": 1, "text": "line\nbreak"})";
  request.headers = {{"Content-Type", "application/json"}, {"X-Trace", "abc 123"}};
  const auto response = expect_response(client()->send(request));

  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, request.body);
  const auto received = server.requests();
  ASSERT_EQ(received.size(), 1U);
  EXPECT_EQ(received[0].method, "POST");
  EXPECT_EQ(received[0].path, "/echo");
  EXPECT_EQ(received[0].target, "/echo?x=1&y=%20");
  EXPECT_EQ(received[0].body, request.body);
  EXPECT_EQ(received[0].header("content-type"), "application/json");
  EXPECT_EQ(received[0].header("x-trace"), "abc 123");
  EXPECT_EQ(received[0].header("user-agent"), "chaosgate");
  EXPECT_EQ(received[0].header("expect"), std::nullopt);
}

TEST_P(HttpClientCases, SendsEachMethodWithItsBody) {
  TestHttpServer server;
  const auto ok = [](const auto&, auto& res) { res.set_content("done", "text/plain"); };
  server.on("PUT", "/r", ok).on("PATCH", "/r", ok).on("DELETE", "/r", ok).on("GET", "/r", ok);
  server.start();
  const auto http = client();

  for (const std::string method : {"PUT", "PATCH", "DELETE"}) {
    Request request = get(server.url("/r"));
    request.method = method;
    request.body = "body of " + method;
    EXPECT_EQ(expect_response(http->send(request)).status, 200) << method;
  }
  Request head = get(server.url("/r"));
  head.method = "HEAD";
  const auto response = expect_response(http->send(head));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "");
  EXPECT_EQ(response.header("content-length"), "4");

  const auto received = server.requests();
  ASSERT_EQ(received.size(), 4U);
  EXPECT_EQ(received[0].method, "PUT");
  EXPECT_EQ(received[0].body, "body of PUT");
  EXPECT_EQ(received[1].method, "PATCH");
  EXPECT_EQ(received[1].body, "body of PATCH");
  EXPECT_EQ(received[2].method, "DELETE");
  EXPECT_EQ(received[2].body, "body of DELETE");
  EXPECT_EQ(received[3].method, "HEAD");
}

TEST_P(HttpClientCases, RejectsUnsupportedMethodAndHeaderInjection) {
  const auto http = client();
  Request request = get("http://127.0.0.1:1/");
  request.method = "TRACE";
  EXPECT_EQ(expect_failure(http->send(request)).kind, FailureKind::bad_request);
  Request injected = get("http://127.0.0.1:1/");
  injected.headers = {{"X-A", "b\r\nX-Evil: 1"}};
  EXPECT_EQ(expect_failure(http->send(injected)).kind, FailureKind::bad_request);
}

TEST_P(HttpClientCases, TimesOutAgainstASlowServer) {
  TestHttpServer server;
  server.on("GET", "/slow", [](const auto&, auto& res) {
    std::this_thread::sleep_for(1500ms);
    res.set_content("late", "text/plain");
  });
  server.start();

  Request request = get(server.url("/slow"));
  request.timeout = 300ms;
  const auto start = std::chrono::steady_clock::now();
  const auto failure = expect_failure(client()->send(request));
  const auto took = std::chrono::steady_clock::now() - start;

  EXPECT_EQ(failure.kind, FailureKind::timeout) << failure.message;
  EXPECT_GE(took, 290ms);
  EXPECT_LT(took, 1s);
}

TEST_P(HttpClientCases, ACancelledStopGivesTheTransferUp) {
  TestHttpServer server;
  server.on("POST", "/inject", [](const auto&, auto& res) {
    std::this_thread::sleep_for(2500ms);  // a fault endpoint that holds the request
    res.set_content("late", "text/plain");
  });
  server.start();

  Cancellation stop;
  Request request = get(server.url("/inject"));
  request.method = "POST";
  request.timeout = 10s;
  request.stop = &stop;
  test::CancelAfter interrupt(stop, std::chrono::milliseconds(200), "interrupted by SIGTERM");
  const auto start = std::chrono::steady_clock::now();
  const auto failure = expect_failure(client()->send(request));
  const auto took = std::chrono::steady_clock::now() - start;

  EXPECT_EQ(failure.kind, FailureKind::cancelled) << failure.message;
  EXPECT_NE(failure.message.find("interrupted by SIGTERM"), std::string::npos) << failure.message;
  EXPECT_GE(took, 190ms);
  EXPECT_LT(took, 1600ms);  // libcurl looks about once a second while no byte moves
}

TEST_P(HttpClientCases, AStopNeverCancelledChangesNothing) {
  TestHttpServer server;
  server.on("GET", "/delay", [](const auto&, auto& res) {
    std::this_thread::sleep_for(300ms);
    res.set_content("ok", "text/plain");
  });
  server.start();
  Cancellation stop;
  Request request = get(server.url("/delay"));
  request.stop = &stop;
  const auto response = expect_response(client()->send(request));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "ok");
}

TEST_P(HttpClientCases, LatencyCoversTheServersDelay) {
  TestHttpServer server;
  server.on("GET", "/delay", [](const auto&, auto& res) {
    std::this_thread::sleep_for(100ms);
    res.set_content("ok", "text/plain");
  });
  server.start();

  const auto before = std::chrono::steady_clock::now();
  const auto response = expect_response(client()->send(get(server.url("/delay"))));
  const auto wall = std::chrono::steady_clock::now() - before;
  EXPECT_GE(response.elapsed, 100ms);
  EXPECT_LE(response.elapsed, wall);
}

TEST_P(HttpClientCases, ConnectionRefusedIsConnectFailure) {
  const auto url = "http://127.0.0.1:" + std::to_string(test::closed_port()) + "/";
  const auto failure = expect_failure(client()->send(get(url)));
  EXPECT_EQ(failure.kind, FailureKind::connect) << failure.message;
  EXPECT_NE(failure.message.find("127.0.0.1"), std::string::npos) << failure.message;
}

TEST_P(HttpClientCases, UnresolvableNameIsResolveFailure) {
  Request request = get("http://no-such-host.invalid/");  // .invalid never resolves (RFC 6761)
  request.connect_timeout = 5s;
  const auto failure = expect_failure(client()->send(request));
  EXPECT_EQ(failure.kind, FailureKind::resolve) << failure.message;
  EXPECT_NE(failure.message.find("no-such-host.invalid"), std::string::npos) << failure.message;
}

TEST_P(HttpClientCases, ResolvesLocalhost) {
  TestHttpServer server;
  server.on("GET", "/hello", [](const auto&, auto& res) { res.set_content("named", "text/plain"); });
  server.start();
  const auto response = expect_response(client()->send(get("http://localhost:" + std::to_string(server.port()) + "/hello")));
  EXPECT_EQ(response.body, "named");
}

TEST_P(HttpClientCases, OversizeResponseIsTooLarge) {
  TestHttpServer server;
  server.on("GET", "/big", [](const auto&, auto& res) { res.set_content(std::string(10000, 'x'), "text/plain"); });
  // Chunked: no Content-Length, so only counting the body can stop it.
  server.on("GET", "/stream", [](const auto&, auto& res) {
    res.set_chunked_content_provider("text/plain", [](std::size_t, httplib::DataSink& sink) {
      const std::string chunk(1000, 'y');
      for (int i = 0; i < 10; ++i) sink.write(chunk.data(), chunk.size());
      sink.done();
      return true;
    });
  });
  server.start();
  const auto http = client();

  for (const std::string path : {"/big", "/stream"}) {
    Request request = get(server.url(path));
    request.max_response_bytes = 4096;
    EXPECT_EQ(expect_failure(http->send(request)).kind, FailureKind::too_large) << path;
  }
  Request fits = get(server.url("/stream"));
  fits.max_response_bytes = 10000;
  EXPECT_EQ(expect_response(http->send(fits)).body, std::string(10000, 'y'));
}

TEST_P(HttpClientCases, ReturnsARedirectWhenNotFollowing) {
  TestHttpServer server;
  server.on("GET", "/old", [](const auto&, auto& res) { res.set_redirect("/new"); });
  server.start();
  const auto redirect = expect_response(client()->send(get(server.url("/old"))));
  EXPECT_EQ(redirect.status, 302);
  EXPECT_EQ(redirect.header("location"), "/new");
  EXPECT_EQ(server.requests().size(), 1U);
}

TEST_P(HttpClientCases, ReadsBodiesFramedEveryWay) {
  RawHttpServer until_close("HTTP/1.0 200 OK\r\nX-A: 1\r\n\r\nto the end");
  EXPECT_EQ(expect_response(client()->send(get(until_close.url()))).body, "to the end");
  RawHttpServer chunked(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n");
  EXPECT_EQ(expect_response(client()->send(get(chunked.url()))).body, "hello, world");
  RawHttpServer continued("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 202 Accepted\r\nContent-Length: 2\r\nX-B: 2\r\n\r\nokEXTRA");
  const auto response = expect_response(client()->send(get(continued.url())));
  EXPECT_EQ(response.status, 202);
  EXPECT_EQ(response.body, "ok");
  EXPECT_EQ(response.header("x-b"), "2");
  RawHttpServer no_content("HTTP/1.1 204 No Content\r\n\r\n");
  EXPECT_EQ(expect_response(client()->send(get(no_content.url()))).status, 204);
}

TEST_P(HttpClientCases, MalformedAnswersAreFailures) {
  // Not HTTP (HTTP/0.9 to libcurl, which refuses it) or no status code: libcurl's "unsupported protocol".
  for (const std::string& answer : {std::string("HELLO THERE\r\n\r\n"), std::string("HTTP/1.1 2OO OK\r\n\r\n")}) {
    RawHttpServer server(answer);
    const auto failure = expect_failure(client()->send(get(server.url())));
    EXPECT_EQ(failure.kind, FailureKind::bad_request) << answer << ": " << failure.message;
  }
  // Nothing, or less than announced.
  for (const std::string& answer : {std::string(),
                                   std::string("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"),
                                   std::string("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel")}) {
    RawHttpServer server(answer);
    Request request = get(server.url());
    request.timeout = 3s;
    const auto failure = expect_failure(client()->send(request));
    EXPECT_EQ(failure.kind, FailureKind::other) << answer << ": " << failure.message;
  }
}

TEST_P(HttpClientCases, FailureMessageDoesNotLeakTokens) {
  const auto port = std::to_string(test::closed_port());
  register_secret("path-secret-4712");
  const auto url = "http://127.0.0.1:" + port + "/x/path-secret-4712?private_token=supersecret124&page=2";
  const auto failure = expect_failure(client()->send(get(url)));
  EXPECT_EQ(failure.kind, FailureKind::connect);
  EXPECT_EQ(failure.message.find("supersecret124"), std::string::npos) << failure.message;
  EXPECT_EQ(failure.message.find("path-secret-4712"), std::string::npos) << failure.message;
  EXPECT_NE(failure.message.find("page=2"), std::string::npos) << failure.message;
}

INSTANTIATE_TEST_SUITE_P(BothClients, HttpClientCases,
                         ::testing::Values(ClientKind{"libcurl", [] { return make_curl_client(); }},
                                           ClientKind{"plain", [] { return make_plain_http_client(); }},
                                           ClientKind{"routing", [] { return make_http_client(); }}),
                         [](const ::testing::TestParamInfo<ClientKind>& kind) { return std::string(kind.param.name); });

}  // namespace
}  // namespace chaosgate::http
