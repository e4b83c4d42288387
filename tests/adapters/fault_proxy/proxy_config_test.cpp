#include "fault_proxy/proxy_config.h"

#include <gtest/gtest.h>

#include "support/temp_dir.h"
#include "util/errors.h"

namespace chaosgate::test {
namespace {

std::string error_of(const std::string& content) {
  TempDir dir;
  const auto path = dir.write("proxies.json", content).string();
  try {
    fault_proxy::read_proxy_config(path);
  } catch (const UserError& e) {
    EXPECT_EQ(e.exit_code(), 2);
    return e.what();
  }
  return "no error";
}

TEST(FaultProxyConfig, ReadsToxiproxysFormat) {
  TempDir dir;
  const auto path = dir.write("proxies.json", R"([
  {"name": "redis", "listen": "127.0.0.1:0", "upstream": "127.0.0.1:6379"},
  {"name": "web", "upstream": "localhost:8080", "enabled": false}
])").string();
  const auto proxies = fault_proxy::read_proxy_config(path);
  ASSERT_EQ(proxies.size(), 2u);
  EXPECT_EQ(proxies[0].name, "redis");
  EXPECT_EQ(proxies[0].upstream, "127.0.0.1:6379");
  EXPECT_TRUE(proxies[0].enabled);
  EXPECT_EQ(proxies[1].listen, "127.0.0.1:0");  // loopback and a free port by default
  EXPECT_FALSE(proxies[1].enabled);
  EXPECT_EQ(proxies[1].location.line, 3);
}

TEST(FaultProxyConfig, ErrorsNameFileLineAndField) {
  const std::string missing = error_of("[\n  {\"name\": \"redis\"}\n]");
  EXPECT_NE(missing.find("proxies.json:2:"), std::string::npos) << missing;
  EXPECT_NE(missing.find("upstream"), std::string::npos) << missing;

  const std::string typed = error_of("[\n  {\"name\": \"a\", \"upstream\": \"h:1\",\n   \"enabled\": \"yes\"}\n]");
  EXPECT_NE(typed.find("proxies.json:3:"), std::string::npos) << typed;
  EXPECT_NE(typed.find("[0].enabled"), std::string::npos) << typed;

  const std::string unknown = error_of(R"([{"name": "a", "upstream": "h:1", "upstram": "x"}])");
  EXPECT_NE(unknown.find("upstram"), std::string::npos) << unknown;

  const std::string twice = error_of("[{\"name\": \"a\", \"upstream\": \"h:1\"},\n {\"name\": \"a\", \"upstream\": \"h:2\"}]");
  EXPECT_NE(twice.find(":2:"), std::string::npos) << twice;
  EXPECT_NE(twice.find("defined twice"), std::string::npos) << twice;

  EXPECT_NE(error_of("{\"name\": \"a\"}").find("expected an array"), std::string::npos);
  EXPECT_NE(error_of("[{\"name\": ").find("proxies.json"), std::string::npos);
}

}  // namespace
}  // namespace chaosgate::test
