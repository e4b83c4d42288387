#include "status/gitlab_status.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>

#include "status/status_text.h"
#include "util/errors.h"
#include "util/json_integer.h"
#include "util/redact.h"
#include "util/text.h"

namespace chaosgate::status {

namespace {

using nlohmann::json;

constexpr std::size_t k_description_limit = 255;     // GitLab's commit_statuses.description column
constexpr std::size_t k_note_limit = 1'000'000;      // GitLab's note length limit, in characters

const char* state_word(CommitState state) {
  switch (state) {
    case CommitState::running: return "running";
    case CommitState::success: return "success";
    case CommitState::failed: return "failed";
    case CommitState::canceled: return "canceled";
  }
  return "failed";
}

bool is_number(const std::string& text) {
  return !text.empty() && text.size() <= 18 && std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

// GitLab answers errors as {"message": "..."}, {"message": {"field": ["..."]}}
// or {"error": "..."}; anything else is shown as (the start of) the body.
std::string server_message(const std::string& body) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return "(no body)";
  const auto parsed = json::parse(body, nullptr, false);
  if (parsed.is_object()) {
    for (const char* key : {"message", "error"}) {
      if (!parsed.contains(key)) continue;
      const auto& value = parsed.at(key);
      return value.is_string() ? value.get<std::string>() : value.dump(-1, ' ', false, json::error_handler_t::replace);
    }
  }
  return one_line(body, 300);
}

// A status already in the requested state: GitLab's state machine refuses the
// transition with 400 "Cannot transition status via :run from :running". A
// second run of the same job, or our retry after a lost answer, gets there.
bool already_in_state(const http::Response& response, CommitState state) {
  if (response.status != 400) return false;
  const std::string message = server_message(response.body);
  if (message.find("Cannot transition status") == std::string::npos) return false;
  const std::string from = std::string("from :") + state_word(state);
  const auto at = message.find(from);
  if (at == std::string::npos) return false;
  const std::size_t end = at + from.size();
  return end == message.size() || !(std::isalnum(static_cast<unsigned char>(message[end])) || message[end] == '_');
}

// A key cannot end the HTML comment the marker is written in.
std::string marker_for(const std::string& key) {
  std::string safe = one_line(key, 200);
  std::replace(safe.begin(), safe.end(), '>', '_');
  std::replace(safe.begin(), safe.end(), '<', '_');
  return "<!-- chaosgate:" + safe + " -->";
}

// The marker, a blank line, and as much of `markdown` as fits GitLab's limit
// (cut after a whole line: a half table row would break the rendering).
std::string note_body(const std::string& marker, const std::string& markdown) {
  const std::string head = marker + "\n\n";
  const std::string_view fits = utf8_prefix_chars(markdown, k_note_limit - head.size());
  if (fits.size() == markdown.size()) return head + markdown;
  const auto line_end = fits.rfind('\n');
  return head + std::string(fits.substr(0, line_end == std::string_view::npos ? 0 : line_end + 1));
}

class GitlabStatus final : public StatusPublisher {
public:
  GitlabStatus(GitlabStatusConfig config, std::shared_ptr<http::HttpClient> client, http::Sleeper sleep)
      : m_config(std::move(config)), m_client(std::move(client)), m_sleep(std::move(sleep)) {
    while (!m_config.api_url.empty() && m_config.api_url.back() == '/') m_config.api_url.pop_back();
    m_project_url = m_config.api_url + "/projects/" + percent_encode(m_config.project);
  }

  std::string name() const override { return "gitlab"; }

  void publish(const StatusUpdate& update) override {
    json body = {{"state", state_word(update.state)},
                 {"name", update.name},
                 {"description", one_line(update.description, k_description_limit)}};
    if (!update.target_url.empty()) body["target_url"] = update.target_url;
    if (!m_config.pipeline_id.empty()) body["pipeline_id"] = std::stoll(m_config.pipeline_id);
    if (!m_config.ref.empty()) body["ref"] = m_config.ref;
    const auto request = make("POST", m_project_url + "/statuses/" + percent_encode(m_config.sha), body);
    const auto response = send("commit status", request);
    if (already_in_state(response, update.state)) return;
    require_success("commit status", request, response);
  }

  void publish_summary(const std::string& key, const std::string& markdown) override {
    if (m_config.merge_request_iid.empty()) return;
    const std::string notes_url = m_project_url + "/merge_requests/" + m_config.merge_request_iid + "/notes";
    const std::string marker = marker_for(key);
    const json body = {{"body", note_body(marker, markdown)}};
    if (const auto id = find_note(notes_url, marker)) {
      const auto request = make("PUT", notes_url + "/" + std::to_string(*id), body);
      require_success("merge request note", request, send("merge request note", request));
    } else {
      const auto request = make("POST", notes_url, body);
      require_success("merge request note", request, send("merge request note", request));
    }
  }

private:
  // Newest first by last update, so our note (edited every run) is usually on
  // page 1 however long the discussion; bounded in pages all the same.
  std::optional<long long> find_note(const std::string& notes_url, const std::string& marker) {
    std::string page = "1";
    for (int n = 0; n < m_config.max_note_pages && !page.empty(); ++n) {
      const auto request = make("GET", notes_url + "?per_page=100&sort=desc&order_by=updated_at&page=" + percent_encode(page));
      const auto response = send("merge request notes", request);
      require_success("merge request notes", request, response);
      const auto notes = json::parse(response.body, nullptr, false);
      if (!notes.is_array())
        throw std::runtime_error(redact("GitLab merge request notes: GET " + request.url + " answered no JSON array"));
      for (const auto& note : notes) {
        if (!note.is_object() || !note.contains("id") || !note.at("id").is_number_integer()) continue;
        if (note.value("system", false)) continue;
        const auto text = note.contains("body") && note.at("body").is_string() ? note.at("body").get<std::string>() : "";
        if (text.rfind(marker, 0) == 0) return json_integer<long long>(note.at("id"));
      }
      page = response.header("x-next-page").value_or("");
    }
    return std::nullopt;
  }

  http::Request make(const std::string& method, const std::string& url, const json& body = nullptr) const {
    http::Request request;
    request.method = method;
    request.url = url;
    request.timeout = m_config.timeout;
    request.headers = {{"PRIVATE-TOKEN", m_config.token}, {"Accept", "application/json"}};
    if (!body.is_null()) {
      request.headers.emplace_back("Content-Type", "application/json");
      // Run output may carry invalid UTF-8; GitLab gets U+FFFD rather than an exception here.
      request.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    }
    return request;
  }

  // The response after retries; a transport failure is thrown.
  http::Response send(const std::string& what, const http::Request& request) {
    if (!m_silent_after_give_up.empty())
      throw std::runtime_error("GitLab " + what + ": not sent: " + m_silent_after_give_up);
    auto result = http::send_with_retry(*m_client, request, m_config.retry, m_sleep);
    if (const auto* failure = std::get_if<http::Failure>(&result)) {
      // After a signal an API that did not answer one request gets no more:
      // each would wait out its own last attempt (3 s), and the CI runner's
      // SIGKILL follows its SIGTERM within seconds. A request cut by the
      // signal itself (cancelled) says nothing about the API.
      if (given_up() && failure->kind != http::FailureKind::cancelled)
        m_silent_after_give_up = redact("the GitLab API did not answer the " + what + " after the gate was interrupted");
      throw std::runtime_error(redact("GitLab " + what + ": " + request.method + " " + request.url +
                                      " failed: " + failure->message));
    }
    return std::get<http::Response>(std::move(result));
  }

  bool given_up() const { return m_config.retry.give_up != nullptr && m_config.retry.give_up->cancelled(); }

  static void require_success(const std::string& what, const http::Request& request, const http::Response& response) {
    if (response.status >= 200 && response.status < 300) return;
    std::string status = "HTTP " + std::to_string(response.status);
    if (const auto phrase = http::reason_phrase(response.status); !phrase.empty()) status += " " + phrase;
    if (http::is_retryable(response)) status += " (still, after retries)";
    throw std::runtime_error(redact("GitLab " + what + ": " + request.method + " " + request.url + " -> " + status +
                                    ": " + server_message(response.body)));
  }

  GitlabStatusConfig m_config;
  std::shared_ptr<http::HttpClient> m_client;
  http::Sleeper m_sleep;
  std::string m_project_url;
  std::string m_silent_after_give_up;  // why no more requests are sent; empty: send
};

void require(bool ok, const std::string& message) {
  if (!ok) throw UserError("--status gitlab: " + message);
}

}  // namespace

std::unique_ptr<StatusPublisher> make_gitlab_status(GitlabStatusConfig config, std::shared_ptr<http::HttpClient> client,
                                                    http::Sleeper sleep) {
  require(!config.api_url.empty(), "no GitLab API URL (CI_API_V4_URL)");
  require(!config.token.empty(), "no access token with `api` scope (CI_JOB_TOKEN cannot post statuses)");
  require(!config.project.empty(), "no project (CI_PROJECT_ID or CI_PROJECT_PATH)");
  require(!config.sha.empty(), "no commit (CI_COMMIT_SHA)");
  require(config.pipeline_id.empty() || is_number(config.pipeline_id), "pipeline id is not a number: " + config.pipeline_id);
  require(config.merge_request_iid.empty() || is_number(config.merge_request_iid),
          "merge request iid is not a number: " + config.merge_request_iid);
  require(client != nullptr, "no HTTP client");
  register_secret(config.token);
  return std::make_unique<GitlabStatus>(std::move(config), std::move(client), std::move(sleep));
}

}  // namespace chaosgate::status
