#include "util/redact.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace chaosgate {
namespace {

TEST(Redact, MasksRegisteredSecretsEverywhere) {
  register_secret("tok-3141592653");
  EXPECT_EQ(redact("token tok-3141592653 and again tok-3141592653!"), "token *** and again ***!");
}

TEST(Redact, IgnoresSecretsShorterThanFourCharacters) {
  register_secret("abc");
  EXPECT_EQ(redact("abcabc"), "abcabc");
}

TEST(Redact, MasksLongestSecretWhole) {
  register_secret("short-key");
  register_secret("short-key-and-more");
  EXPECT_EQ(redact("x short-key-and-more y"), "x *** y");
}

TEST(Redact, MasksUrlUserInfo) {
  EXPECT_EQ(redact("GET https://user:pw@example.com/path"), "GET https://***@example.com/path");
  EXPECT_EQ(redact("redis://:secret@10.0.0.1:6379"), "redis://***@10.0.0.1:6379");
  EXPECT_EQ(redact("https://example.com/a@b"), "https://example.com/a@b");
}

TEST(Redact, MasksCredentialHeaderValues) {
  EXPECT_EQ(redact("Authorization: Bearer abc.def"), "Authorization: Bearer ***");
  EXPECT_EQ(redact("authorization: Basic dXNlcjpwdw=="), "authorization: Basic ***");
  EXPECT_EQ(redact("Authorization: rawtoken"), "Authorization: ***");
  EXPECT_EQ(redact("PRIVATE-TOKEN: glpat-xyz\r\nAccept: */*"), "PRIVATE-TOKEN: ***\r\nAccept: */*");
  EXPECT_EQ(redact("x-api-key: k1"), "x-api-key: ***");
  EXPECT_EQ(redact("Cookie: session=abc; other=def"), "Cookie: ***");
  EXPECT_EQ(redact(R"({"Authorization": "Bearer xyz", "Accept": "json"})"),
            R"({"Authorization": "Bearer ***", "Accept": "json"})");
}

TEST(Redact, LeavesLookalikeWordsAlone) {
  EXPECT_EQ(redact("authorization failed for user"), "authorization failed for user");
  EXPECT_EQ(redact("X-Cookie-Count: 3"), "X-Cookie-Count: 3");
}

TEST(Redact, MasksCredentialQueryParametersCaseInsensitively) {
  EXPECT_EQ(redact("https://h/p?token=abc&page=2"), "https://h/p?token=***&page=2");
  EXPECT_EQ(redact("https://h/p?a=1&ACCESS_TOKEN=abc#frag"), "https://h/p?a=1&ACCESS_TOKEN=***#frag");
  EXPECT_EQ(redact("?private_token=a&password=b&secret=c&api_key=d&key=e&sig=f"),
            "?private_token=***&password=***&secret=***&api_key=***&key=***&sig=***");
  EXPECT_EQ(redact("https://h/p?monkey=1&tokens=2"), "https://h/p?monkey=1&tokens=2");
}

// A command's output lands in an action's detail and the reasons built from it.
TEST(Redact, MasksCredentialAssignmentsInFreeText) {
  EXPECT_EQ(redact("exit 3 (expected 0): password=pw0 token=abc --api_key=k1 -secret=s"),
            "exit 3 (expected 0): password=*** token=*** --api_key=*** -secret=***");
  EXPECT_EQ(redact("login failed\nPASSWORD=hunter2\nnext line"), "login failed\nPASSWORD=***\nnext line");
  // Weak names only after ?, & or ;, and no partial words.
  EXPECT_EQ(redact("cache key=cart:42 sig=1 mytoken=3 token_count=4"), "cache key=cart:42 sig=1 mytoken=3 token_count=4");
}

TEST(Redact, RegistersTheCredentialsAUrlCarries) {
  register_url_credentials("http://admin:url-pass-7781@127.0.0.1:8080/health?access_token=url-tok-7782&page=2#x");
  register_url_credentials("https://url-tok-7783@git.example/repo");
  register_url_credentials("http://127.0.0.1:9090/api?key=url-key-7784");
  EXPECT_EQ(redact("echo url-pass-7781 url-tok-7782 url-tok-7783 url-key-7784 admin page 2"), "echo *** *** *** *** admin page 2");
  register_url_credentials("http://127.0.0.1/p?a=b&tokens=kept-7785");  // not a credential name
  EXPECT_EQ(redact("kept-7785"), "kept-7785");
  register_url_credentials("http://user:pass@127.0.0.1/");  // too short to mask everywhere
  EXPECT_EQ(redact("gate passed"), "gate passed");
}

TEST(Redact, IsThreadSafe) {
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([i] {
      for (int j = 0; j < 200; ++j) {
        register_secret("thread-secret-" + std::to_string(i) + "-" + std::to_string(j % 10));
        (void)redact("thread-secret-0-0 Authorization: x");
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(redact("thread-secret-7-9"), "***");
}

}  // namespace
}  // namespace chaosgate
