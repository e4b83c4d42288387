#include "status/gitlab_status.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <nlohmann/json.hpp>

#include "engine/cancellation.h"
#include "support/cancel_after.h"
#include "support/status_test_helpers.h"
#include "support/test_http_server.h"
#include "util/errors.h"
#include "util/text.h"

namespace chaosgate::status {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using ::testing::HasSubstr;
using ::testing::Not;
using test::RecordedRequest;
using test::TestHttpServer;
using test::answer_json;
using test::publish_error;
using test::Sleeps;

constexpr const char* k_token = "glpat-status-test-token-1234";
constexpr const char* k_sha = "18f3e63d05582537db6d183d9d557be09e1f90c8";
constexpr const char* k_project = "group/sub-group/shop.app";
constexpr const char* k_project_encoded = "group%2Fsub-group%2Fshop.app";
const std::string k_marker = "<!-- chaosgate:chaosgate/staging -->";

GitlabStatusConfig config_for(const TestHttpServer& server) {
  GitlabStatusConfig config;
  config.api_url = server.url("/api/v4/");  // a trailing slash must not double
  config.token = k_token;
  config.project = k_project;
  config.sha = k_sha;
  return config;
}

std::string statuses_target() { return std::string("/api/v4/projects/") + k_project_encoded + "/statuses/" + k_sha; }

StatusUpdate update(CommitState state, std::string description = "Gate passed: 3 experiment(s) held") {
  return {state, "chaosgate/staging", std::move(description), "https://gitlab.example.com/group/shop/-/jobs/77"};
}

// ---- commit status -------------------------------------------------------

TEST(GitlabStatus, PostsCommitStatusToEncodedProjectWithPrivateToken) {
  TestHttpServer server;
  server.on("POST", R"(/api/v4/projects/.+/statuses/.+)", [](const auto&, auto& res) {
    answer_json(res, 201, {{"id", 93}, {"status", "running"}});
  });
  server.start();
  auto config = config_for(server);
  config.pipeline_id = "4242";
  auto publisher = make_gitlab_status(config, http::make_curl_client());
  EXPECT_EQ(publisher->name(), "gitlab");

  publisher->publish(update(CommitState::running, "Running 3 experiment(s) of shop"));

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, statuses_target());
  EXPECT_EQ(requests[0].header("PRIVATE-TOKEN"), k_token);
  EXPECT_EQ(requests[0].header("Authorization"), std::nullopt);
  EXPECT_THAT(requests[0].header("Content-Type").value_or(""), HasSubstr("application/json"));
  EXPECT_EQ(json::parse(requests[0].body), (json{{"state", "running"},
                                                 {"name", "chaosgate/staging"},
                                                 {"description", "Running 3 experiment(s) of shop"},
                                                 {"target_url", "https://gitlab.example.com/group/shop/-/jobs/77"},
                                                 {"pipeline_id", 4242}}));
}

TEST(GitlabStatus, MapsEveryStateAndLeavesOutAnEmptyTargetUrl) {
  TestHttpServer server;
  server.on("POST", R"(/api/v4/projects/42/statuses/.+)", [](const auto&, auto& res) { answer_json(res, 201, json::object()); });
  server.start();
  auto config = config_for(server);
  config.project = "42";
  auto publisher = make_gitlab_status(config, http::make_curl_client());
  for (const auto state : {CommitState::running, CommitState::success, CommitState::failed, CommitState::canceled})
    publisher->publish({state, "chaosgate/staging", "text", ""});

  std::vector<std::string> states;
  for (const auto& request : server.requests()) {
    EXPECT_EQ(request.target, std::string("/api/v4/projects/42/statuses/") + k_sha);
    const auto body = json::parse(request.body);
    EXPECT_FALSE(body.contains("target_url")) << body;
    EXPECT_FALSE(body.contains("pipeline_id")) << body;
    states.push_back(body.at("state"));
  }
  EXPECT_THAT(states, ::testing::ElementsAre("running", "success", "failed", "canceled"));
}

TEST(GitlabStatus, DescriptionIsShortenedTo255CharactersOnAUtf8Boundary) {
  TestHttpServer server;
  server.on("POST", R"(/api/v4/projects/.+/statuses/.+)", [](const auto&, auto& res) { answer_json(res, 201, json::object()); });
  server.start();
  auto publisher = make_gitlab_status(config_for(server), http::make_curl_client());
  std::string long_text = "Gate failed: ";
  for (int i = 0; i < 300; ++i) long_text += "\xC3\xA9";  // é, 2 bytes
  publisher->publish(update(CommitState::failed, long_text));

  const auto description = json::parse(server.requests().at(0).body).at("description").get<std::string>();
  EXPECT_EQ(test::utf8_chars(description), 255u);
  EXPECT_FALSE(find_invalid_utf8(description).has_value());
  EXPECT_EQ(description.rfind("Gate failed: \xC3\xA9", 0), 0u);
  EXPECT_EQ(description.substr(description.size() - 3), "\xE2\x80\xA6");
}

TEST(GitlabStatus, StatusAlreadyInTheRequestedStateIsNotAnError) {
  TestHttpServer server;
  server.on("POST", R"(/api/v4/projects/.+/statuses/.+)", [](const httplib::Request& req, auto& res) {
    const auto state = json::parse(req.body).at("state").get<std::string>();
    // What GitLab's state machine answers (lib/api/commit_statuses.rb rescues InvalidTransition).
    answer_json(res, 400, {{"message", state == "running"
                                            ? "Cannot transition status via :run from :running (Reason(s): Status cannot transition via \"run\")"
                                            : "Cannot transition status via :succeed from :canceled (Reason(s): Status cannot transition via \"succeed\")"}});
  });
  server.start();
  auto publisher = make_gitlab_status(config_for(server), http::make_curl_client());
  EXPECT_NO_THROW(publisher->publish(update(CommitState::running)));
  EXPECT_THAT(publish_error(*publisher, update(CommitState::success)),
              HasSubstr("Cannot transition status via :succeed from :canceled"));
}

TEST(GitlabStatus, WaitsAsLongAsRetryAfterSaysOn429ThenSucceeds) {
  TestHttpServer server;
  std::mutex mutex;
  int calls = 0;
  server.on("POST", R"(/api/v4/projects/.+/statuses/.+)", [&](const auto&, auto& res) {
    std::lock_guard lock(mutex);
    if (++calls == 1) {
      res.set_header("Retry-After", "7");
      answer_json(res, 429, {{"message", "429 Too Many Requests"}});
    } else {
      answer_json(res, 201, json::object());
    }
  });
  server.start();
  Sleeps sleeps;
  auto publisher = make_gitlab_status(config_for(server), http::make_curl_client(), sleeps.sleeper());
  publisher->publish(update(CommitState::success));
  EXPECT_EQ(server.requests().size(), 2u);
  EXPECT_THAT(sleeps.waits, ::testing::ElementsAre(milliseconds(7000)));
  EXPECT_EQ(server.requests()[0].body, server.requests()[1].body);
}

TEST(GitlabStatus, ClientErrorCarriesServerMessageButNeverTheToken) {
  TestHttpServer server;
  server.on("POST", R"(/api/v4/projects/.+/statuses/.+)", [](const httplib::Request& req, auto& res) {
    // A server that echoes the credential back must not leak it through us.
    answer_json(res, 403, {{"message", "403 Forbidden - insufficient_scope for " + req.get_header_value("PRIVATE-TOKEN")}});
  });
  server.start();
  Sleeps sleeps;
  auto publisher = make_gitlab_status(config_for(server), http::make_curl_client(), sleeps.sleeper());
  const auto message = publish_error(*publisher, update(CommitState::failed));
  EXPECT_THAT(message, HasSubstr("HTTP 403 Forbidden"));
  EXPECT_THAT(message, HasSubstr("403 Forbidden - insufficient_scope"));
  EXPECT_THAT(message, HasSubstr(statuses_target()));
  EXPECT_THAT(message, Not(HasSubstr(k_token)));
  EXPECT_EQ(server.requests().size(), 1u);  // a 403 is not retried
  EXPECT_TRUE(sleeps.waits.empty());
}

TEST(GitlabStatus, FieldErrorsAndPlainBodiesAreShown) {
  TestHttpServer server;
  server.on("POST", R"(/api/v4/projects/1/statuses/.+)", [](const auto&, auto& res) {
    answer_json(res, 400, {{"message", {{"name", {"is too long"}}}}});
  });
  server.on("POST", R"(/api/v4/projects/2/statuses/.+)", [](const auto&, auto& res) {
    res.status = 404;
    res.set_content("<html>no such route</html>", "text/html");
  });
  server.start();
  auto config = config_for(server);
  config.project = "1";
  EXPECT_THAT(publish_error(*make_gitlab_status(config, http::make_curl_client()), update(CommitState::failed)),
              HasSubstr(R"({"name":["is too long"]})"));
  config.project = "2";
  EXPECT_THAT(publish_error(*make_gitlab_status(config, http::make_curl_client()), update(CommitState::failed)),
              HasSubstr("HTTP 404 Not Found: <html>no such route</html>"));
}

TEST(GitlabStatus, UnreachableServerIsRetriedThenReported) {
  GitlabStatusConfig config;
  config.api_url = "http://127.0.0.1:" + std::to_string(test::closed_port()) + "/api/v4";
  config.token = k_token;
  config.project = "42";
  config.sha = k_sha;
  config.retry.max_attempts = 3;
  Sleeps sleeps;
  auto publisher = make_gitlab_status(config, http::make_curl_client(), sleeps.sleeper());
  const auto message = publish_error(*publisher, update(CommitState::running));
  EXPECT_THAT(message, HasSubstr("GitLab commit status: POST"));
  EXPECT_THAT(message, HasSubstr("failed"));
  EXPECT_EQ(sleeps.waits.size(), 2u);
}

TEST(GitlabStatus, FactoryRefusesIncompleteConfig) {
  GitlabStatusConfig good;
  good.api_url = "https://gitlab.example.com/api/v4";
  good.token = k_token;
  good.project = "42";
  good.sha = k_sha;
  auto client = std::shared_ptr<http::HttpClient>(http::make_curl_client());
  EXPECT_NO_THROW(make_gitlab_status(good, client));
  auto no_token = good;
  no_token.token.clear();
  EXPECT_THROW(make_gitlab_status(no_token, client), UserError);
  auto no_sha = good;
  no_sha.sha.clear();
  EXPECT_THROW(make_gitlab_status(no_sha, client), UserError);
  auto no_project = good;
  no_project.project.clear();
  EXPECT_THROW(make_gitlab_status(no_project, client), UserError);
  auto bad_iid = good;
  bad_iid.merge_request_iid = "7; DROP";
  EXPECT_THROW(make_gitlab_status(bad_iid, client), UserError);
  auto bad_pipeline = good;
  bad_pipeline.pipeline_id = "latest";
  EXPECT_THROW(make_gitlab_status(bad_pipeline, client), UserError);
}

// ---- merge request note --------------------------------------------------

// GitLab's notes of one merge request, as the API serves them: newest first,
// paged with x-next-page. Newest by creation, not by update (which the adapter
// asks for): our note then sinks as others comment, the harder case.
class FakeMergeRequest {
public:
  struct Note {
    long long id;
    std::string body;
    bool system;
  };

  FakeMergeRequest() {
    const std::string notes = "/api/v4/projects/.+/merge_requests/7/notes";  // the path arrives decoded
    m_server.on("GET", notes, [this](const httplib::Request& req, httplib::Response& res) { list(req, res); });
    m_server.on("POST", notes, [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(m_mutex);
      m_notes.push_back({m_next_id++, json::parse(req.body).at("body"), false});
      answer_json(res, 201, {{"id", m_notes.back().id}, {"body", m_notes.back().body}});
    });
    m_server.on("PUT", notes + R"(/(\d+))", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(m_mutex);
      const long long id = std::stoll(req.matches[1]);
      for (auto& note : m_notes) {
        if (note.id != id) continue;
        note.body = json::parse(req.body).at("body");
        return answer_json(res, 200, {{"id", id}, {"body", note.body}});
      }
      answer_json(res, 404, {{"message", "404 Not found"}});
    });
    m_server.on("POST", "/api/v4/projects/.+/statuses/.+", [this](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(m_status_delay.load());
      answer_json(res, 201, json::object());
    });
    m_server.start();
  }

  void add(const std::string& body, bool system = false) {
    std::lock_guard lock(m_mutex);
    m_notes.push_back({m_next_id++, body, system});
  }
  std::vector<Note> notes() const {
    std::lock_guard lock(m_mutex);
    return m_notes;
  }
  std::vector<RecordedRequest> requests() const { return m_server.requests(); }
  void set_always_next_page() { m_always_next_page = true; }
  // A commit status API that accepts and answers late.
  void delay_statuses(milliseconds delay) { m_status_delay = delay; }
  std::size_t note_requests() const {
    const auto all = requests();
    return static_cast<std::size_t>(std::count_if(all.begin(), all.end(), [](const RecordedRequest& r) {
      return r.target.find("/notes") != std::string::npos;
    }));
  }

  GitlabStatusConfig config() const {
    auto config = config_for(m_server);
    config.merge_request_iid = "7";
    return config;
  }

private:
  void list(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(m_mutex);
    const std::size_t per_page = req.has_param("per_page") ? std::stoul(req.get_param_value("per_page")) : 20;
    const std::size_t page = req.has_param("page") ? std::stoul(req.get_param_value("page")) : 1;
    json out = json::array();
    const std::size_t first = (page - 1) * per_page;
    for (std::size_t i = first; i < first + per_page && i < m_notes.size(); ++i) {
      const auto& note = m_notes[m_notes.size() - 1 - i];
      out.push_back({{"id", note.id}, {"body", note.body}, {"system", note.system}, {"author", {{"username", "someone"}}}});
    }
    const bool more = first + per_page < m_notes.size();
    res.set_header("x-next-page", more || m_always_next_page ? std::to_string(page + 1) : "");
    answer_json(res, 200, out);
  }

  TestHttpServer m_server;
  mutable std::mutex m_mutex;
  std::vector<Note> m_notes;
  long long m_next_id = 1000;
  bool m_always_next_page = false;
  std::atomic<milliseconds> m_status_delay{milliseconds(0)};
};

std::vector<std::string> methods(const std::vector<RecordedRequest>& requests) {
  std::vector<std::string> out;
  for (const auto& request : requests) out.push_back(request.method + " " + request.target);
  return out;
}

TEST(GitlabStatusNote, CreatedOnFirstRunAndUpdatedInPlaceOnTheNext) {
  FakeMergeRequest mr;
  mr.add("LGTM, waiting for the gate");
  mr.add("added 1 commit", true);
  const std::string notes = std::string("/api/v4/projects/") + k_project_encoded + "/merge_requests/7/notes";
  const std::string list = notes + "?per_page=100&sort=desc&order_by=updated_at&page=";

  make_gitlab_status(mr.config(), http::make_curl_client())->publish_summary("chaosgate/staging", "## Gate failed\n\n| a | b |\n");
  EXPECT_THAT(methods(mr.requests()), ::testing::ElementsAre("GET " + list + "1", "POST " + notes));
  EXPECT_EQ(mr.requests().back().header("PRIVATE-TOKEN"), k_token);
  const auto ours = mr.notes().back();
  EXPECT_EQ(ours.body, k_marker + "\n\n## Gate failed\n\n| a | b |\n");

  // People discuss: our note ends up on page 2, under a quote of it and the
  // note of the production gate, both of which must stay untouched.
  mr.add("> " + k_marker + "\n> ## Gate failed\n\nwhy did this fail?");
  mr.add("<!-- chaosgate:chaosgate/production -->\n\n## Gate passed\n");
  mr.add(k_marker + " this system note only looks like ours", true);
  for (int i = 0; i < 120; ++i) mr.add("comment " + std::to_string(i));
  const auto before = mr.notes();
  const auto requests_before = mr.requests().size();

  make_gitlab_status(mr.config(), http::make_curl_client())->publish_summary("chaosgate/staging", "## Gate passed\n");
  const auto all = mr.requests();
  const auto second = std::vector<RecordedRequest>(all.begin() + static_cast<long>(requests_before), all.end());
  EXPECT_THAT(methods(second), ::testing::ElementsAre("GET " + list + "1", "GET " + list + "2",
                                                      "PUT " + notes + "/" + std::to_string(ours.id)));
  EXPECT_EQ(json::parse(second.back().body), (json{{"body", k_marker + "\n\n## Gate passed\n"}}));

  const auto after = mr.notes();
  ASSERT_EQ(after.size(), before.size());  // no second note
  for (std::size_t i = 0; i < after.size(); ++i) {
    if (after[i].id == ours.id)
      EXPECT_EQ(after[i].body, k_marker + "\n\n## Gate passed\n");
    else
      EXPECT_EQ(after[i].body, before[i].body) << "note " << after[i].id << " was changed";
  }
}

TEST(GitlabStatusNote, EachStatusNameKeepsItsOwnNote) {
  FakeMergeRequest mr;
  auto publisher = make_gitlab_status(mr.config(), http::make_curl_client());
  publisher->publish_summary("chaosgate/staging", "staging\n");
  publisher->publish_summary("chaosgate/production", "production\n");
  publisher->publish_summary("chaosgate/staging", "staging again\n");
  const auto notes = mr.notes();
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0].body, k_marker + "\n\nstaging again\n");
  EXPECT_EQ(notes[1].body, "<!-- chaosgate:chaosgate/production -->\n\nproduction\n");
}

TEST(GitlabStatusNote, SearchIsBoundedInPages) {
  FakeMergeRequest mr;
  mr.set_always_next_page();  // a server that never says "last page"
  auto config = mr.config();
  config.max_note_pages = 3;
  make_gitlab_status(config, http::make_curl_client())->publish_summary("chaosgate/staging", "x\n");
  const auto calls = methods(mr.requests());
  ASSERT_EQ(calls.size(), 4u);
  EXPECT_THAT(calls[2], HasSubstr("&page=3"));
  EXPECT_THAT(calls[3], ::testing::StartsWith("POST "));
}

TEST(GitlabStatusNote, NothingWithoutAMergeRequest) {
  FakeMergeRequest mr;
  auto config = mr.config();
  config.merge_request_iid.clear();
  make_gitlab_status(config, http::make_curl_client())->publish_summary("chaosgate/staging", "x\n");
  EXPECT_TRUE(mr.requests().empty());
}

TEST(GitlabStatusNote, MarkerCannotBeClosedByTheKey) {
  FakeMergeRequest mr;
  make_gitlab_status(mr.config(), http::make_curl_client())->publish_summary("chaosgate/a-->b<", "x\n");
  EXPECT_EQ(mr.notes().at(0).body, "<!-- chaosgate:chaosgate/a--_b_ -->\n\nx\n");
}

// After a signal, a status the API did not answer ends the publishing: the
// note's requests would each wait out another last attempt.
TEST(GitlabStatusNote, NotSentAfterTheSignalWhenTheStatusGotNoAnswer) {
  FakeMergeRequest mr;
  mr.delay_statuses(milliseconds(1500));
  Cancellation signal;
  signal.cancel("interrupted by SIGTERM");
  auto config = mr.config();
  config.retry.give_up = &signal;
  config.retry.last_attempt_timeout = milliseconds(300);
  auto publisher = make_gitlab_status(config, http::make_curl_client());

  EXPECT_THAT(publish_error(*publisher, update(CommitState::canceled)), HasSubstr("failed"));
  const auto started = std::chrono::steady_clock::now();
  try {
    publisher->publish_summary("chaosgate/staging", "## Gate interrupted\n");
    ADD_FAILURE() << "no exception";
  } catch (const std::runtime_error& error) {
    EXPECT_THAT(error.what(), HasSubstr("not sent: the GitLab API did not answer the commit status"));
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, milliseconds(100));
  EXPECT_EQ(mr.note_requests(), 0u);
}

// A request cut by the signal says nothing about the API: the note is still
// sent (its own requests get one short attempt each).
TEST(GitlabStatusNote, SentAfterTheSignalWhenOnlyTheRequestInFlightWasCut) {
  FakeMergeRequest mr;
  mr.delay_statuses(milliseconds(1500));
  Cancellation signal;
  auto config = mr.config();
  config.retry.give_up = &signal;
  auto publisher = make_gitlab_status(config, http::make_curl_client());
  {
    test::CancelAfter cancel(signal, milliseconds(200), "interrupted by SIGTERM");
    EXPECT_THAT(publish_error(*publisher, update(CommitState::running)), HasSubstr("failed"));
  }
  publisher->publish_summary("chaosgate/staging", "## Gate interrupted\n");
  EXPECT_EQ(mr.notes().size(), 1u);
}

TEST(GitlabStatusNote, ErrorListingNotesIsReportedWithServerMessage) {
  TestHttpServer server;
  server.on("GET", R"(/api/v4/projects/.+/merge_requests/7/notes)", [](const auto&, auto& res) {
    answer_json(res, 404, {{"message", "404 Merge Request Not Found"}});
  });
  server.start();
  auto config = config_for(server);
  config.merge_request_iid = "7";
  try {
    make_gitlab_status(config, http::make_curl_client())->publish_summary("chaosgate/staging", "x\n");
    ADD_FAILURE() << "no exception";
  } catch (const std::runtime_error& error) {
    EXPECT_THAT(error.what(), HasSubstr("404 Merge Request Not Found"));
    EXPECT_THAT(error.what(), Not(HasSubstr(k_token)));
  }
  EXPECT_EQ(server.requests().size(), 1u);  // no POST after a failed search: it could duplicate the note
}

// ---- contract: the real request against GitLab's OpenAPI (tests/e2e/status_contract.sh) ----

// Passes requests through and keeps each request with its result.
class RecordingClient : public http::HttpClient {
public:
  explicit RecordingClient(std::unique_ptr<http::HttpClient> inner) : m_inner(std::move(inner)) {}
  http::Result send(const http::Request& request) override {
    auto result = m_inner->send(request);
    m_calls.emplace_back(request, result);
    return result;
  }
  std::vector<std::pair<http::Request, http::Result>> m_calls;

private:
  std::unique_ptr<http::HttpClient> m_inner;
};

// A Prism mock of GitLab's OpenAPI v2 (/work/shared/validators/mock-gitlab),
// started by tests/e2e/status_contract.sh; these cases skip without it.
std::optional<std::string> gitlab_mock_url() {
  const char* url = std::getenv("CHAOSGATE_GITLAB_MOCK_URL");
  if (url == nullptr || *url == '\0') return std::nullopt;
  return std::string(url);
}

TEST(GitlabStatusContract, CommitStatusRequestsMatchGitLabOpenApi) {
  const auto mock = gitlab_mock_url();
  if (!mock) GTEST_SKIP() << "CHAOSGATE_GITLAB_MOCK_URL is not set (tests/e2e/status_contract.sh sets it)";
  for (const std::string project : {"42", "chaosgate/shop"}) {
    auto client = std::make_shared<RecordingClient>(http::make_curl_client());
    GitlabStatusConfig config;
    config.api_url = *mock + "/api/v4";
    config.token = k_token;
    config.project = project;
    config.sha = k_sha;
    config.pipeline_id = "4242";
    config.retry.max_attempts = 1;
    auto publisher = make_gitlab_status(config, client);
    std::string long_text = "Gate failed: 2 regression(s): ";
    for (int i = 0; i < 100; ++i) long_text += "cart-\xC3\xA9 ";
    for (const auto state : {CommitState::running, CommitState::success, CommitState::failed, CommitState::canceled}) {
      EXPECT_NO_THROW(publisher->publish(update(state, long_text)));
      EXPECT_NO_THROW(publisher->publish({state, "chaosgate/staging (shard 1/2)", "short", ""}));
    }
    ASSERT_EQ(client->m_calls.size(), 8u);
    for (const auto& [request, result] : client->m_calls) {
      ASSERT_TRUE(std::holds_alternative<http::Response>(result)) << std::get<http::Failure>(result).message;
      const auto& response = std::get<http::Response>(result);
      EXPECT_GE(response.status, 200);
      EXPECT_LT(response.status, 300) << request.url << " " << request.body << "\n" << response.body;
      EXPECT_EQ(response.header("sl-violations"), std::nullopt) << request.body << "\n" << *response.header("sl-violations");
    }
  }
}

// The mock must reject what GitLab rejects, or the case above proves nothing.
TEST(GitlabStatusContract, MockRejectsAnInvalidCommitStatus) {
  const auto mock = gitlab_mock_url();
  if (!mock) GTEST_SKIP() << "CHAOSGATE_GITLAB_MOCK_URL is not set (tests/e2e/status_contract.sh sets it)";
  http::Request request;
  request.method = "POST";
  request.url = *mock + "/api/v4/projects/42/statuses/" + k_sha;
  request.headers = {{"PRIVATE-TOKEN", k_token}, {"Content-Type", "application/json"}};
  request.body = R"({"state":"passed","name":"chaosgate/staging","pipeline_id":"latest"})";
  const auto result = http::make_curl_client()->send(request);
  ASSERT_TRUE(std::holds_alternative<http::Response>(result)) << std::get<http::Failure>(result).message;
  const auto& response = std::get<http::Response>(result);
  EXPECT_GE(response.status, 400);
  EXPECT_LT(response.status, 500);
  ASSERT_TRUE(response.header("sl-violations").has_value()) << response.status << " " << response.body;
  EXPECT_THAT(*response.header("sl-violations"), HasSubstr("state"));
}

}  // namespace
}  // namespace chaosgate::status
