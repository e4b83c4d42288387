#include "status/github_status.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>

#include "support/files.h"
#include "support/status_test_helpers.h"
#include "support/temp_dir.h"
#include "support/test_http_server.h"
#include "util/errors.h"
#include "util/text.h"

namespace chaosgate::status {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using ::testing::HasSubstr;
using ::testing::Not;
using test::TempDir;
using test::TestHttpServer;
using test::answer_json;
using test::publish_error;
using test::Sleeps;

constexpr const char* k_token = "ghs_status-test-token-5678";
constexpr const char* k_sha = "a3c1e0f2b4d6a8c0e2f4b6d8a0c2e4f6b8d0a2c4";

GithubStatusConfig config_for(const TestHttpServer& server) {
  GithubStatusConfig config;
  config.api_url = server.url("/api/v3");  // GitHub Enterprise Server's prefix
  config.token = k_token;
  config.repository = "octo-org/hello.world";
  config.sha = k_sha;
  return config;
}

std::string statuses_target() { return std::string("/api/v3/repos/octo-org/hello.world/statuses/") + k_sha; }

StatusUpdate update(CommitState state, std::string description = "Gate passed: 3 experiment(s) held") {
  return {state, "chaosgate/staging", std::move(description), "https://github.com/octo-org/hello.world/actions/runs/9"};
}

TEST(GithubStatus, PostsStatusWithGithubHeaders) {
  TestHttpServer server;
  server.on("POST", R"(/api/v3/repos/.+/statuses/.+)", [](const auto&, auto& res) { answer_json(res, 201, {{"id", 1}}); });
  server.start();
  auto publisher = make_github_status(config_for(server), http::make_curl_client());
  EXPECT_EQ(publisher->name(), "github");
  publisher->publish(update(CommitState::running, "Running 3 experiment(s) of shop"));

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, statuses_target());
  EXPECT_EQ(requests[0].header("Authorization"), std::string("Bearer ") + k_token);
  EXPECT_EQ(requests[0].header("Accept"), "application/vnd.github+json");
  EXPECT_EQ(requests[0].header("X-GitHub-Api-Version"), "2022-11-28");
  EXPECT_EQ(requests[0].header("PRIVATE-TOKEN"), std::nullopt);
  EXPECT_EQ(json::parse(requests[0].body), (json{{"state", "pending"},
                                                 {"context", "chaosgate/staging"},
                                                 {"description", "Running 3 experiment(s) of shop"},
                                                 {"target_url", "https://github.com/octo-org/hello.world/actions/runs/9"}}));
}

TEST(GithubStatus, MapsEveryStateAndLeavesOutAnEmptyTargetUrl) {
  TestHttpServer server;
  server.on("POST", R"(/repos/.+/statuses/.+)", [](const auto&, auto& res) { answer_json(res, 201, json::object()); });
  server.start();
  auto config = config_for(server);
  config.api_url = server.url("/");  // api.github.com has no prefix; a trailing slash must not double
  auto publisher = make_github_status(config, http::make_curl_client());
  for (const auto state : {CommitState::running, CommitState::success, CommitState::failed, CommitState::canceled})
    publisher->publish({state, "chaosgate/staging", "text", ""});
  std::vector<std::string> states;
  for (const auto& request : server.requests()) {
    EXPECT_EQ(request.target, std::string("/repos/octo-org/hello.world/statuses/") + k_sha);
    const auto body = json::parse(request.body);
    EXPECT_FALSE(body.contains("target_url")) << body;
    states.push_back(body.at("state"));
  }
  EXPECT_THAT(states, ::testing::ElementsAre("pending", "success", "failure", "error"));
}

TEST(GithubStatus, DescriptionIsShortenedTo140CharactersOnAUtf8Boundary) {
  TestHttpServer server;
  server.on("POST", R"(/api/v3/repos/.+/statuses/.+)", [](const auto&, auto& res) { answer_json(res, 201, json::object()); });
  server.start();
  auto publisher = make_github_status(config_for(server), http::make_curl_client());
  std::string long_text = "Gate failed: ";
  for (int i = 0; i < 200; ++i) long_text += "\xF0\x9F\x94\xA5";  // U+1F525, 4 bytes
  publisher->publish(update(CommitState::failed, long_text));
  const auto description = json::parse(server.requests().at(0).body).at("description").get<std::string>();
  EXPECT_EQ(test::utf8_chars(description), 140u);
  EXPECT_EQ(description.size(), 13u + 126u * 4 + 3);
  EXPECT_FALSE(find_invalid_utf8(description).has_value());
}

TEST(GithubStatus, WaitsAsLongAsRetryAfterSaysOn429ThenSucceeds) {
  TestHttpServer server;
  std::mutex mutex;
  int calls = 0;
  server.on("POST", R"(/api/v3/repos/.+/statuses/.+)", [&](const auto&, auto& res) {
    std::lock_guard lock(mutex);
    if (++calls == 1) {
      res.set_header("Retry-After", "2");
      answer_json(res, 429, {{"message", "API rate limit exceeded"}});
    } else {
      answer_json(res, 201, json::object());
    }
  });
  server.start();
  Sleeps sleeps;
  make_github_status(config_for(server), http::make_curl_client(), sleeps.sleeper())->publish(update(CommitState::success));
  EXPECT_EQ(server.requests().size(), 2u);
  EXPECT_THAT(sleeps.waits, ::testing::ElementsAre(milliseconds(2000)));
}

TEST(GithubStatus, ValidationErrorCarriesServerMessagesButNeverTheToken) {
  TestHttpServer server;
  server.on("POST", R"(/api/v3/repos/.+/statuses/.+)", [](const httplib::Request& req, auto& res) {
    answer_json(res, 422, {{"message", "Validation Failed"},
                           {"errors", {{{"resource", "Status"}, {"code", "custom"}, {"field", "context"},
                                        {"message", "context is invalid for " + req.get_header_value("Authorization")}},
                                       {{"resource", "Status"}, {"field", "state"}, {"code", "invalid"}}}},
                           {"documentation_url", "https://docs.github.com/rest/commits/statuses"}});
  });
  server.start();
  Sleeps sleeps;
  auto publisher = make_github_status(config_for(server), http::make_curl_client(), sleeps.sleeper());
  const auto message = publish_error(*publisher, update(CommitState::failed));
  EXPECT_THAT(message, HasSubstr("HTTP 422"));
  EXPECT_THAT(message, HasSubstr("Validation Failed; context is invalid for Bearer"));
  EXPECT_THAT(message, HasSubstr("; state invalid"));
  EXPECT_THAT(message, HasSubstr(statuses_target()));
  EXPECT_THAT(message, Not(HasSubstr(k_token)));
  EXPECT_EQ(server.requests().size(), 1u);
  EXPECT_TRUE(sleeps.waits.empty());
}

TEST(GithubStatus, ServerErrorsAreRetriedThenReported) {
  TestHttpServer server;
  server.on("POST", R"(/api/v3/repos/.+/statuses/.+)", [](const auto&, auto& res) {
    answer_json(res, 503, {{"message", "Service Unavailable"}});
  });
  server.start();
  auto config = config_for(server);
  config.retry.max_attempts = 3;
  Sleeps sleeps;
  const auto message = publish_error(*make_github_status(config, http::make_curl_client(), sleeps.sleeper()),
                                     update(CommitState::success));
  EXPECT_THAT(message, HasSubstr("HTTP 503 Service Unavailable (still, after retries): Service Unavailable"));
  EXPECT_EQ(server.requests().size(), 3u);
  EXPECT_EQ(sleeps.waits.size(), 2u);
}

TEST(GithubStatus, StepSummaryIsAppendedInOrder) {
  TempDir dir;
  const auto path = dir.write("step_summary", "## Build\n\nearlier step\n");
  GithubStatusConfig config;
  config.token = k_token;
  config.repository = "octo-org/hello.world";
  config.sha = k_sha;
  config.step_summary_path = path.string();
  auto publisher = make_github_status(config, http::make_curl_client());
  publisher->publish_summary("chaosgate/staging", "## Gate failed\n\n| a | b |\n");
  publisher->publish_summary("chaosgate/production", "## Gate passed");  // no final newline
  make_github_status(config, http::make_curl_client())->publish_summary("chaosgate/staging", "third\n");
  EXPECT_EQ(test::read_file(path.string()), "## Build\n\nearlier step\n## Gate failed\n\n| a | b |\n## Gate passed\nthird\n");
}

TEST(GithubStatus, NoStepSummaryFileMeansNothingWritten) {
  TempDir dir;
  GithubStatusConfig config;
  config.token = k_token;
  config.repository = "octo-org/hello.world";
  config.sha = k_sha;
  EXPECT_NO_THROW(make_github_status(config, http::make_curl_client())->publish_summary("k", "x\n"));
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));

  config.step_summary_path = (dir.path() / "missing-dir" / "summary.md").string();
  try {
    make_github_status(config, http::make_curl_client())->publish_summary("k", "x\n");
    ADD_FAILURE() << "no exception";
  } catch (const std::runtime_error& error) {
    EXPECT_THAT(error.what(), HasSubstr(config.step_summary_path));
  }
}

TEST(GithubStatus, FactoryRefusesIncompleteConfig) {
  GithubStatusConfig good;
  good.token = k_token;
  good.repository = "octo-org/hello.world";
  good.sha = k_sha;
  auto client = std::shared_ptr<http::HttpClient>(http::make_curl_client());
  EXPECT_NO_THROW(make_github_status(good, client));
  for (const std::string repository : {"", "octo-org", "/repo", "owner/", "a/b/c"}) {
    auto bad = good;
    bad.repository = repository;
    EXPECT_THROW(make_github_status(bad, client), UserError) << repository;
  }
  auto no_token = good;
  no_token.token.clear();
  EXPECT_THROW(make_github_status(no_token, client), UserError);
  auto no_sha = good;
  no_sha.sha.clear();
  EXPECT_THROW(make_github_status(no_sha, client), UserError);
}

}  // namespace
}  // namespace chaosgate::status
