#include "http/plain_http_client.h"

#include <gtest/gtest.h>

#include "support/scoped_env.h"
#include "support/test_http_server.h"

namespace chaosgate::http {
namespace {

using test::ScopedEnv;
using test::TestHttpServer;

Request probe_request(const std::string& url) {
  Request request;
  request.url = url;
  request.follow_redirects = false;
  return request;
}

// What reached the server, as comparable text: method, target, body and
// every header but the two that name the client's own socket.
std::string received(const test::RecordedRequest& r) {
  std::string text = r.method + " " + r.target + "\n";
  for (const auto& [name, value] : r.headers) {
    if (name == "remote_addr" || name == "remote_port" || name == "local_addr" || name == "local_port") continue;
    text += name + ": " + value + "\n";
  }
  return text + "\n" + r.body;
}

TEST(PlainHttpClient, SendsWhatLibcurlSends) {
  TestHttpServer server;
  const auto ok = [](const auto&, auto& res) { res.set_content("ok", "text/plain"); };
  server.on("GET", "/r", ok).on("POST", "/r", ok).on("PUT", "/r", ok).on("PATCH", "/r", ok).on("DELETE", "/r", ok);
  server.start();
  ClientOptions options;
  options.user_agent = "chaosgate/test";
  const auto curl = make_curl_client(options);
  const auto plain = make_plain_http_client(options);

  std::vector<Request> requests;
  for (const std::string method : {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}) {
    for (const std::string body : {"", "a=1&b=2"}) {
      if (method == "HEAD" && !body.empty()) continue;
      Request request = probe_request(server.url("/r?q=" + method));
      request.method = method;
      request.body = body;
      requests.push_back(request);
    }
  }
  Request custom = probe_request(server.url("/r"));
  custom.method = "POST";
  custom.body = "{}";
  custom.headers = {{"Content-Type", "application/json"}, {"X-Empty", ""}, {"Accept", "application/json"},
                    {"User-Agent", "own"}};
  requests.push_back(custom);

  for (const auto& request : requests) {
    const auto before = server.requests().size();
    ASSERT_TRUE(std::holds_alternative<Response>(curl->send(request))) << request.method;
    ASSERT_TRUE(std::holds_alternative<Response>(plain->send(request))) << request.method;
    const auto seen = server.requests();
    ASSERT_EQ(seen.size(), before + 2);
    EXPECT_EQ(received(seen[before + 1]), received(seen[before])) << request.method << " with body '" << request.body << "'";
  }
}

// The routing client takes libcurl whenever libcurl would do something the
// plain client does not: a proxy from the environment, a redirect to follow.
TEST(RoutingHttpClient, UsesLibcurlWhenAProxyOrARedirectIsInvolved) {
  TestHttpServer target;
  target.on("GET", "/where", [](const auto&, auto& res) { res.set_content("direct", "text/plain"); });
  target.on("GET", "/old", [](const auto&, auto& res) { res.set_redirect("/where"); });
  target.start();
  TestHttpServer proxy;  // answers every request it is given, as a forward proxy would
  proxy.on("GET", ".*", [](const auto&, auto& res) { res.set_content("via proxy", "text/plain"); });
  proxy.start();
  const ScopedEnv no_proxy("no_proxy", std::nullopt);
  const ScopedEnv no_proxy_upper("NO_PROXY", std::nullopt);
  const ScopedEnv all("all_proxy", std::nullopt);
  const ScopedEnv all_upper("ALL_PROXY", std::nullopt);
  const ScopedEnv upper("HTTP_PROXY", std::nullopt);
  const auto client = make_http_client();
  const auto body = [&](const Request& request) {
    const auto result = client->send(request);
    return std::holds_alternative<Response>(result) ? std::get<Response>(result).body : std::get<Failure>(result).message;
  };

  {
    const ScopedEnv unset("http_proxy", std::nullopt);
    EXPECT_EQ(body(probe_request(target.url("/where"))), "direct");
    Request follow = probe_request(target.url("/old"));
    follow.follow_redirects = true;
    EXPECT_EQ(body(follow), "direct") << "followed by libcurl";
  }
  {
    const ScopedEnv set("http_proxy", proxy.url());
    EXPECT_EQ(body(probe_request(target.url("/where"))), "via proxy");
    const auto through = proxy.requests();
    ASSERT_EQ(through.size(), 1U);
    const ScopedEnv exempt("no_proxy", "127.0.0.1");
    EXPECT_EQ(body(probe_request(target.url("/where"))), "direct");
  }
}

}  // namespace
}  // namespace chaosgate::http
