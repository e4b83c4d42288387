#include "http/plain_url.h"

#include <gtest/gtest.h>

namespace chaosgate::http {
namespace {

TEST(PlainUrl, SplitsHostPortAndTarget) {
  const auto url = parse_plain_url("http://127.0.0.1:8080/health?deep=1#top");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, 8080);
  EXPECT_EQ(url->host_header, "127.0.0.1:8080");
  EXPECT_EQ(url->target, "/health?deep=1");
}

TEST(PlainUrl, DefaultsPortAndPathAndLowerCasesSchemeAndHost) {
  const auto url = parse_plain_url("HTTP://Shop.Example.COM");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->host, "shop.example.com");
  EXPECT_EQ(url->port, 80);
  EXPECT_EQ(url->host_header, "shop.example.com");
  EXPECT_EQ(url->target, "/");
  EXPECT_EQ(parse_plain_url("http://h?q=1")->target, "/?q=1");
  EXPECT_EQ(parse_plain_url("http://h:80/x")->host_header, "h");
}

TEST(PlainUrl, TakesIpv6Literals) {
  const auto url = parse_plain_url("http://[::1]:9090/metrics");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->host_header, "[::1]:9090");
  EXPECT_EQ(url->target, "/metrics");
}

TEST(PlainUrl, LeavesEverythingUnusualToLibcurl) {
  for (const char* text : {"https://h/", "ftp://h/", "not a url", "http://", "http:///x", "http://user:pw@h/",
                           "http://h:/", "http://h:0/", "http://h:65536/", "http://h:12ab/", "http://h/a b",
                           "http://h/\xc3\xa9", "http://h_1/", "http://[fe80::1%25eth0]/", "http://[::1/",
                           "http://[::1]x/", "http://.h/", "http://h%41/"}) {
    EXPECT_FALSE(parse_plain_url(text)) << text;
  }
}

}  // namespace
}  // namespace chaosgate::http
