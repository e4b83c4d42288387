// What only the libcurl client does: other schemes, following redirects, TLS.
// The cases both clients share are in http_client_cases_test.cpp.
#include <gtest/gtest.h>

#include "http/http_client.h"
#include "support/temp_dir.h"
#include "support/http_results.h"
#include "support/test_http_server.h"
#include "util/redact.h"

namespace chaosgate::http {
namespace {

using test::expect_failure;
using test::expect_response;
using test::TestHttpServer;

Request get(const std::string& url) {
  Request request;
  request.url = url;
  return request;
}

TEST(CurlHttpClient, RejectsUnsupportedMethodAndScheme) {
  const auto client = make_curl_client();
  Request request = get("http://127.0.0.1:1/");
  request.method = "TRACE";
  EXPECT_EQ(expect_failure(client->send(request)).kind, FailureKind::bad_request);
  EXPECT_EQ(expect_failure(client->send(get("ftp://127.0.0.1/x"))).kind, FailureKind::bad_request);
  EXPECT_EQ(expect_failure(client->send(get("not a url"))).kind, FailureKind::bad_request);
  Request injected = get("http://127.0.0.1:1/");
  injected.headers = {{"X-A", "b\r\nX-Evil: 1"}};
  EXPECT_EQ(expect_failure(client->send(injected)).kind, FailureKind::bad_request);
}

TEST(CurlHttpClient, FollowsRedirectsUpToFive) {
  TestHttpServer server;
  server.on("GET", "/old", [](const auto&, auto& res) { res.set_redirect("/new"); });
  server.on("GET", "/new", [](const auto&, auto& res) { res.set_content("moved here", "text/plain"); });
  server.on("GET", "/loop", [](const auto&, auto& res) { res.set_redirect("/loop"); });
  server.start();
  const auto client = make_curl_client();

  const auto response = expect_response(client->send(get(server.url("/old"))));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "moved here");

  Request no_follow = get(server.url("/old"));
  no_follow.follow_redirects = false;
  const auto redirect = expect_response(client->send(no_follow));
  EXPECT_EQ(redirect.status, 302);
  EXPECT_EQ(redirect.header("location"), "/new");

  const auto before = server.requests().size();
  EXPECT_EQ(expect_failure(client->send(get(server.url("/loop")))).kind, FailureKind::other);
  EXPECT_EQ(server.requests().size() - before, 6U) << "the first request and 5 redirects";
}

TEST(CurlHttpClient, SeeOtherTurnsPostIntoGet) {
  TestHttpServer server;
  server.on("POST", "/form", [](const auto&, auto& res) { res.set_redirect("/result", 303); });
  server.on("GET", "/result", [](const auto&, auto& res) { res.set_content("ok", "text/plain"); });
  server.start();

  Request request = get(server.url("/form"));
  request.method = "POST";
  request.body = "a=1";
  EXPECT_EQ(expect_response(make_curl_client()->send(request)).body, "ok");
  const auto received = server.requests();
  ASSERT_EQ(received.size(), 2U);
  EXPECT_EQ(received[1].method, "GET");
  EXPECT_EQ(received[1].body, "");
}

TEST(CurlHttpClient, DropsCredentialHeadersOnCrossOriginRedirect) {
  TestHttpServer other;
  other.on("GET", "/landing", [](const auto&, auto& res) { res.set_content("elsewhere", "text/plain"); });
  other.start();
  TestHttpServer server;
  server.on("GET", "/same", [](const auto&, auto& res) { res.set_redirect("/final"); });
  server.on("GET", "/final", [](const auto&, auto& res) { res.set_content("here", "text/plain"); });
  server.on("GET", "/away", [&](const auto&, auto& res) { res.set_redirect(other.url("/landing")); });
  server.start();
  const auto client = make_curl_client();
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"PRIVATE-TOKEN", "glpat-secret"}, {"Authorization", "Bearer abc"}, {"X-Request-Id", "42"}};

  Request same = get(server.url("/same"));
  same.headers = headers;
  EXPECT_EQ(expect_response(client->send(same)).body, "here");
  EXPECT_EQ(server.requests().back().header("private-token"), "glpat-secret");

  Request away = get(server.url("/away"));
  away.headers = headers;
  EXPECT_EQ(expect_response(client->send(away)).body, "elsewhere");
  const auto landed = other.requests().at(0);
  EXPECT_EQ(landed.header("private-token"), std::nullopt);
  EXPECT_EQ(landed.header("authorization"), std::nullopt);
  EXPECT_EQ(landed.header("x-request-id"), "42");
}

class CurlHttpClientTls : public ::testing::Test {
protected:
  void SetUp() override {
    m_tls = test::make_self_signed_cert(m_dir.str());
    if (!m_tls) GTEST_SKIP() << "openssl command line tool not installed";
    m_server = std::make_unique<TestHttpServer>(*m_tls);
    m_server->on("GET", "/secure", [](const auto&, auto& res) { res.set_content("tls ok", "text/plain"); });
    m_server->start();
  }

  test::TempDir m_dir;
  std::optional<test::TlsFiles> m_tls;
  std::unique_ptr<TestHttpServer> m_server;
};

TEST_F(CurlHttpClientTls, VerificationFailsByDefault) {
  const auto failure = expect_failure(make_curl_client()->send(get(m_server->url("/secure"))));
  EXPECT_EQ(failure.kind, FailureKind::tls) << failure.message;
}

TEST_F(CurlHttpClientTls, SucceedsWithCaBundle) {
  ClientOptions options;
  options.ca_bundle = m_tls->cert_path;
  const auto response = expect_response(make_curl_client(options)->send(get(m_server->url("/secure"))));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "tls ok");
}

TEST_F(CurlHttpClientTls, SucceedsWhenVerificationIsExplicitlyOff) {
  ClientOptions options;
  options.verify_tls = false;
  EXPECT_EQ(expect_response(make_curl_client(options)->send(get(m_server->url("/secure")))).status, 200);
}

TEST(CurlHttpClient, FailureMessageDoesNotLeakTokens) {
  const auto port = std::to_string(test::closed_port());
  register_secret("path-secret-4711");
  const auto url = "http://user:hunter2pw@127.0.0.1:" + port +
                   "/x/path-secret-4711?private_token=supersecret123&page=2";
  const auto failure = expect_failure(make_curl_client()->send(get(url)));
  EXPECT_EQ(failure.kind, FailureKind::connect);
  EXPECT_EQ(failure.message.find("supersecret123"), std::string::npos) << failure.message;
  EXPECT_EQ(failure.message.find("hunter2pw"), std::string::npos) << failure.message;
  EXPECT_EQ(failure.message.find("path-secret-4711"), std::string::npos) << failure.message;
  EXPECT_NE(failure.message.find("page=2"), std::string::npos) << failure.message;
}

TEST(ReasonPhrase, KnownAndUnknownCodes) {
  EXPECT_EQ(reason_phrase(404), "Not Found");
  EXPECT_EQ(reason_phrase(503), "Service Unavailable");
  EXPECT_EQ(reason_phrase(299), "");
}

}  // namespace
}  // namespace chaosgate::http
