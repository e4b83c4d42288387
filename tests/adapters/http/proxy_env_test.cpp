#include "http/proxy_env.h"

#include <gtest/gtest.h>

#include <map>

namespace chaosgate::http {
namespace {

EnvLookup env_of(std::map<std::string, std::string> values) {
  return [values = std::move(values)](const char* name) -> std::optional<std::string> {
    const auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

TEST(ProxyEnv, NoProxyVariableMeansDirect) {
  EXPECT_FALSE(proxy_may_apply("127.0.0.1", env_of({})));
  EXPECT_FALSE(proxy_may_apply("127.0.0.1", env_of({{"http_proxy", ""}, {"https_proxy", "http://p:3128"}})));
}

TEST(ProxyEnv, AnyHttpOrAllProxyVariableApplies) {
  for (const char* name : {"http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"}) {
    EXPECT_TRUE(proxy_may_apply("shop.internal", env_of({{name, "http://proxy:3128"}}))) << name;
  }
}

TEST(ProxyEnv, NoProxyExemptsHostsAndDomains) {
  const auto with = [](const std::string& no_proxy) {
    return env_of({{"http_proxy", "http://proxy:3128"}, {"no_proxy", no_proxy}});
  };
  EXPECT_FALSE(proxy_may_apply("127.0.0.1", with("localhost,127.0.0.1")));
  EXPECT_FALSE(proxy_may_apply("api.example.com", with("example.com")));
  EXPECT_FALSE(proxy_may_apply("api.example.com", with(" .Example.com")));
  EXPECT_FALSE(proxy_may_apply("anything", with("*")));
  EXPECT_TRUE(proxy_may_apply("notexample.com", with("example.com")));
  EXPECT_TRUE(proxy_may_apply("10.0.0.5", with("10.0.0.0/8")));  // CIDR: libcurl decides
  EXPECT_FALSE(proxy_may_apply("h", env_of({{"HTTP_PROXY", "http://p"}, {"NO_PROXY", "h"}})));
}

}  // namespace
}  // namespace chaosgate::http
